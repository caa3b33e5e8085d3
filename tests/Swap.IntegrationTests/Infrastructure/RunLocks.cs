using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Swap.Locking;
using Swap.PostgreSql;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Takes the run lock the way another runner would, and finds who holds it on the server.</summary>
public static class RunLocks
{
    /// <summary>Takes the target's run lock through the library, as a second runner on another machine would.</summary>
    internal static Task<RunLock> HoldAsync(TestTarget target) =>
        RunLockAcquirer.AcquireAsync(target.Database(), "swap_lock", TimeSpan.Zero, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    /// <summary>The PostgreSQL backend pid holding the run lock of the target's schema, or null.</summary>
    public static async Task<long?> PostgresHolderPidAsync(TestTarget target)
    {
        var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("swap-run:" + ((PostgresDatabase)target.Database()).LockScope)));
        var pid = await target.ScalarAsync(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = @hi AND objid = @lo AND objsubid = 1",
            new { hi = (long)((ulong)key >> 32), lo = (long)((ulong)key & 0xFFFFFFFF) });
        return pid is null ? null : Convert.ToInt64(pid, CultureInfo.InvariantCulture);
    }
}
