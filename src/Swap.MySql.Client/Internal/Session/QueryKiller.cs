using System.Runtime.InteropServices;

namespace Swap.MySql.Client.Internal.Session;

/// <summary>Sends <c>KILL QUERY</c> for another session over a new, short-lived connection.</summary>
internal static partial class QueryKiller
{
    private const int ShutRdWr = 2;

    /// <summary>
    /// Kills the running statement of <paramref name="threadId"/>. If that is impossible (server
    /// unreachable, no privilege), shuts the victim's socket down so its wait ends and the
    /// connection becomes Broken rather than hanging; then rethrows.
    /// </summary>
    internal static void Kill(ConnectionSettings settings, ulong threadId, int victimSocket)
    {
        try
        {
            using var killer = NativeSession.Connect(settings);
            var error = killer.ExecuteBlocking(System.Text.Encoding.ASCII.GetBytes($"KILL QUERY {threadId}"), ignoreErrors: false);
            if (error != null) throw error;
        }
        catch (Exception)
        {
            _ = shutdown(victimSocket, ShutRdWr);
            throw;
        }
    }

    /// <summary>Ends a session's socket so pending reads fail at once (used when closing mid-stream).</summary>
    internal static void Shutdown(int socket) => _ = shutdown(socket, ShutRdWr);

    [LibraryImport("libc")]
    private static partial int shutdown(int socket, int how);
}
