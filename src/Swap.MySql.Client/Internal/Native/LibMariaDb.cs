using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Swap.MySql.Client.Internal.Native;

/// <summary>
/// Source-generated P/Invoke declarations for MariaDB Connector/C (libmariadb). Only the
/// non-variadic entry points are bound; the library name is resolved by <see cref="LibraryResolver"/>.
/// C <c>unsigned long</c> is bound as <see cref="CULong"/> so the signatures stay correct on LLP64.
/// </summary>
internal static unsafe partial class LibMariaDb
{
    internal const string Name = "libmariadb";

    [LibraryImport(Name)] internal static partial int mysql_server_init(int argc, nint argv, nint groups);
    [LibraryImport(Name)] internal static partial nint mysql_init(nint mysql);
    [LibraryImport(Name)] internal static partial int mysql_options(nint mysql, MySqlOption option, void* arg);
    [LibraryImport(Name)] internal static partial nint mysql_real_connect(nint mysql, byte* host, byte* user, byte* passwd, byte* db, uint port, byte* unixSocket, CULong clientFlag);
    [LibraryImport(Name)] internal static partial void mysql_close(nint mysql);
    [LibraryImport(Name)] internal static partial uint mysql_errno(nint mysql);
    [LibraryImport(Name)] internal static partial nint mysql_error(nint mysql);
    [LibraryImport(Name)] internal static partial nint mysql_sqlstate(nint mysql);
    [LibraryImport(Name)] internal static partial CULong mysql_thread_id(nint mysql);
    [LibraryImport(Name)] internal static partial nint mysql_get_server_info(nint mysql);
    [LibraryImport(Name)] internal static partial sbyte mariadb_get_info(nint mysql, MariaDbValue value, void* arg);
    [LibraryImport(Name)] internal static partial int mysql_get_socket(nint mysql);
    [LibraryImport(Name)] internal static partial nint mysql_get_ssl_cipher(nint mysql);
    [LibraryImport(Name)] internal static partial uint mysql_get_timeout_value_ms(nint mysql);

    [LibraryImport(Name)] internal static partial int mysql_real_query(nint mysql, byte* query, CULong length);
    [LibraryImport(Name)] internal static partial nint mysql_use_result(nint mysql);
    [LibraryImport(Name)] internal static partial uint mysql_field_count(nint mysql);
    [LibraryImport(Name)] internal static partial ulong mysql_affected_rows(nint mysql);
    [LibraryImport(Name)] internal static partial ulong mysql_insert_id(nint mysql);
    [LibraryImport(Name)] internal static partial sbyte mysql_more_results(nint mysql);
    [LibraryImport(Name)] internal static partial int mysql_next_result(nint mysql);
    [LibraryImport(Name)] internal static partial CULong mysql_real_escape_string(nint mysql, byte* to, byte* from, CULong length);

    [LibraryImport(Name)] internal static partial uint mysql_num_fields(nint result);
    [LibraryImport(Name)] internal static partial nint mysql_fetch_field_direct(nint result, uint index);
    [LibraryImport(Name)] internal static partial byte** mysql_fetch_row(nint result);
    [LibraryImport(Name)] internal static partial CULong* mysql_fetch_lengths(nint result);
    [LibraryImport(Name)] internal static partial void mysql_free_result(nint result);

    // Non-blocking API (MariaDB extension): each *_start/*_cont returns 0 when done, else MYSQL_WAIT_* flags.
    [LibraryImport(Name)] internal static partial int mysql_real_query_start(int* ret, nint mysql, byte* query, CULong length);
    [LibraryImport(Name)] internal static partial int mysql_real_query_cont(int* ret, nint mysql, int status);
    [LibraryImport(Name)] internal static partial int mysql_fetch_row_start(byte*** ret, nint result);
    [LibraryImport(Name)] internal static partial int mysql_fetch_row_cont(byte*** ret, nint result, int status);
    [LibraryImport(Name)] internal static partial int mysql_next_result_start(int* ret, nint mysql);
    [LibraryImport(Name)] internal static partial int mysql_next_result_cont(int* ret, nint mysql, int status);
    [LibraryImport(Name)] internal static partial int mysql_free_result_start(nint result);
    [LibraryImport(Name)] internal static partial int mysql_free_result_cont(nint result, int status);
}
