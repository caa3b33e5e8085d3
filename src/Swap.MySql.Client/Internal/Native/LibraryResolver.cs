using System.Reflection;
using System.Runtime.InteropServices;

namespace Swap.MySql.Client.Internal.Native;

/// <summary>
/// Maps the logical library name <see cref="LibMariaDb.Name"/> to an installed Connector/C build.
/// <c>SWAP_LIBMARIADB_PATH</c> may name a file to try first. libmariadb is thread-safe since
/// Connector/C 3.0 (mysql_thread_init/end are deprecated no-ops), so only
/// <c>mysql_library_init</c> (exported as <c>mysql_server_init</c>) is called, once.
/// </summary>
internal static class LibraryResolver
{
    internal const string PathVariable = "SWAP_LIBMARIADB_PATH";

    internal static readonly string[] DefaultCandidates =
    [
        "libmariadb.so.3", "libmariadb.so", "libmysqlclient.so.21", "libmysqlclient.so.18",
        "libmariadb.3.dylib", "libmariadb.dylib", "libmariadb.dll",
    ];

    private static readonly object Gate = new();
    private static nint _handle;
    private static string? _failure;
    private static bool _initialized;

    /// <summary>Loads and initialises the library once; throws <see cref="MySqlException"/> naming the package if absent.</summary>
    internal static void EnsureLoaded()
    {
        if (Volatile.Read(ref _initialized)) return;
        lock (Gate)
        {
            if (_initialized) return;
            if (_failure != null) throw NotInstalled(_failure);
            if (!TryLoad(Candidates(), out _handle, out var error))
            {
                _failure = error;
                throw NotInstalled(error);
            }
            NativeLibrary.SetDllImportResolver(typeof(LibraryResolver).Assembly, Resolve);
            if (LibMariaDb.mysql_server_init(0, 0, 0) != 0)
                throw new MySqlException("mysql_library_init failed in libmariadb.", MySqlErrorCodes.ClientLibraryUnavailable, null);
            Volatile.Write(ref _initialized, true);
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        var custom = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(custom)) yield return custom;
        foreach (var name in DefaultCandidates) yield return name;
    }

    /// <summary>Tries each candidate in order; on failure, <paramref name="error"/> lists what was tried.</summary>
    internal static bool TryLoad(IEnumerable<string> candidates, out nint handle, out string error)
    {
        var tried = new List<string>();
        foreach (var name in candidates)
        {
            tried.Add(name);
            if (NativeLibrary.TryLoad(name, out handle))
            {
                error = "";
                return true;
            }
        }
        handle = 0;
        error = "MariaDB Connector/C was not found (tried " + string.Join(", ", tried) + "). "
            + "Install it with 'apt-get install libmariadb3' (Debian/Ubuntu) or set "
            + PathVariable + " to the path of libmariadb.so.3.";
        return false;
    }

    internal static MySqlException NotInstalled(string message) =>
        new(message, MySqlErrorCodes.ClientLibraryUnavailable, null, new DllNotFoundException(message));

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibMariaDb.Name ? _handle : 0;
}
