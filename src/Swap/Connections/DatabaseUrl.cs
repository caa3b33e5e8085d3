using System.Globalization;
using System.Text;

namespace Swap;
/// <summary>The database engines Swap targets.</summary>
public enum DatabaseEngine
{
    /// <summary>SQLite, the embedded default.</summary>
    Sqlite,
    /// <summary>MySQL 8 or MariaDB 10.x.</summary>
    MySql,
    /// <summary>PostgreSQL 12 or later.</summary>
    PostgreSql,
}

/// <summary>
/// A database address in URL form: <c>mysql://user:pass@host:port/db</c>,
/// <c>postgres://user:pass@host:port/db?schema=app</c> or <c>sqlite:path/to.db</c>.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class DatabaseUrl
{
    private DatabaseUrl(DatabaseEngine engine, string? host, int? port, string? user, string? password, string database, IReadOnlyDictionary<string, string> options)
    {
        Engine = engine;
        Host = host;
        Port = port;
        User = user;
        Password = password;
        Database = database;
        Options = options;
    }

    /// <summary>
    /// The engine the scheme names: <c>mysql://</c> and <c>mariadb://</c> are <see cref="DatabaseEngine.MySql"/>,
    /// <c>postgres://</c>, <c>postgresql://</c> and <c>pg://</c> are <see cref="DatabaseEngine.PostgreSql"/>,
    /// <c>sqlite:</c> is <see cref="DatabaseEngine.Sqlite"/>.
    /// </summary>
    public DatabaseEngine Engine { get; }
    /// <summary>
    /// The server's host name or address (an IPv6 address without its brackets); <c>localhost</c> when the
    /// URL names none, empty for a <c>socket</c> URL without a host, null for SQLite.
    /// </summary>
    public string? Host { get; }
    /// <summary>The port, or null when the URL gives none (the driver's default: 3306 for MySQL, 5432 for PostgreSQL); null for SQLite.</summary>
    public int? Port { get; }
    /// <summary>The user name, percent-decoded; null when the URL has no credentials, and for SQLite.</summary>
    public string? User { get; }
    /// <summary>The password, percent-decoded; null when the URL has none. <see cref="ToString"/> shows it as <c>***</c>.</summary>
    public string? Password { get; }

    /// <summary>The database name, or for SQLite the file path.</summary>
    public string Database { get; }

    /// <summary>Query-string options such as <c>schema</c>, <c>sslmode</c>, <c>socket</c>.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>
    /// The value of the query-string option <paramref name="name"/> (case-insensitive), or null when the
    /// URL does not give it. An option written without <c>=</c> reads <c>true</c>.
    /// </summary>
    public string? Option(string name) => Options.TryGetValue(name, out var v) ? v : null;

    /// <summary>The <c>connect_timeout</c> option in seconds (0 to 1024), 15 when absent; a usage error otherwise.</summary>
    public int ConnectTimeoutSeconds()
    {
        var text = Option("connect_timeout");
        if (text is null)
            return 15;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds <= 1024
            ? seconds
            : throw BadOption($"connect_timeout={text} is not a whole number of seconds from 0 to 1024");
    }

    /// <summary>A usage error naming this URL (password hidden) and what is wrong with one of its options.</summary>
    public SwapException BadOption(string what) => new(SwapErrorKind.Usage, $"The database URL {this} is not valid: {what}.");

    /// <summary>Parses a URL; throws <see cref="SwapException"/> with a usage error that shows the expected forms.</summary>
    public static DatabaseUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw Invalid(text, "it has no scheme");
        var scheme = text[..colon].ToLowerInvariant();
        var rest = text[(colon + 1)..];
        return scheme switch
        {
            "sqlite" => ParseSqlite(text, rest),
            "mysql" or "mariadb" => ParseServer(text, DatabaseEngine.MySql, rest),
            "postgres" or "postgresql" or "pg" => ParseServer(text, DatabaseEngine.PostgreSql, rest),
            _ => throw Invalid(text, $"the scheme '{scheme}' is not one of sqlite, mysql, mariadb, postgres, postgresql, pg"),
        };
    }

    /// <summary>
    /// Parses like <see cref="Parse"/>, but returns false (and a null <paramref name="url"/>) instead of
    /// throwing when <paramref name="text"/> is not a valid database URL.
    /// </summary>
    public static bool TryParse(string text, out DatabaseUrl? url)
    {
        try
        {
            url = Parse(text);
            return true;
        }
        catch (SwapException)
        {
            url = null;
            return false;
        }
    }

    private static DatabaseUrl ParseSqlite(string original, string rest)
    {
        var (path, options) = SplitQuery(rest);
        if (path.StartsWith("//", StringComparison.Ordinal))
            path = path[2..];
        path = Uri.UnescapeDataString(path);
        if (path.Length == 0)
            throw Invalid(original, "it names no file");
        if (path == ":memory:" || path.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase))
            throw Invalid(original, "an in-memory SQLite database is gone when the command ends, with everything applied to it; name a file");
        CheckOptions(original, DatabaseEngine.Sqlite, options);
        return new DatabaseUrl(DatabaseEngine.Sqlite, null, null, null, null, path, options);
    }

    private static DatabaseUrl ParseServer(string original, DatabaseEngine engine, string rest)
    {
        if (!rest.StartsWith("//", StringComparison.Ordinal))
            throw Invalid(original, "a server URL starts with '//' after the scheme");
        rest = rest[2..];

        // Passwords often hold '@', '/', ':' or '?' without percent-encoding: the credentials end at
        // the last '@' before the database path, never at the first '/' or '?' (which would put
        // part of the password into the host, port or options, and into error messages).
        string? user = null, password = null;
        var lastSlash = rest.LastIndexOf('/');
        var at = lastSlash > 0 ? rest.LastIndexOf('@', lastSlash - 1) : rest.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = rest[..at];
            rest = rest[(at + 1)..];
            var sep = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(sep < 0 ? credentials : credentials[..sep]);
            password = sep < 0 ? null : Uri.UnescapeDataString(credentials[(sep + 1)..]);
        }

        var (body, options) = SplitQuery(rest);
        var slash = body.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? body : body[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(body[(slash + 1)..]);
        if (database.Length == 0)
            throw Invalid(original, "it names no database (…/dbname)");

        string host;
        int? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                throw Invalid(original, "an IPv6 host is not closed with ']'");
            host = authority[1..close];
            authority = authority[(close + 1)..];
            if (authority.StartsWith(':'))
                port = ParsePort(original, authority[1..]);
        }
        else
        {
            var pc = authority.LastIndexOf(':');
            host = pc < 0 ? authority : authority[..pc];
            if (pc >= 0)
                port = ParsePort(original, authority[(pc + 1)..]);
        }
        if (host.Length == 0 && !options.ContainsKey("socket"))
            host = "localhost";
        CheckOptions(original, engine, options);
        return new DatabaseUrl(engine, Uri.UnescapeDataString(host), port, user, password, database, options);
    }

    /// <summary>The query-string options each engine's URL takes (docs/cli.md, "Database URLs").</summary>
    private static readonly IReadOnlyDictionary<DatabaseEngine, string[]> KnownOptions = new Dictionary<DatabaseEngine, string[]>
    {
        [DatabaseEngine.MySql] = ["socket", "sslmode", "sslca", "ssl-ca", "sslcert", "ssl-cert", "sslkey", "ssl-key", "allow_public_key_retrieval", "connect_timeout"],
        [DatabaseEngine.PostgreSql] = ["socket", "schema", "sslmode", "application_name", "connect_timeout"],
        [DatabaseEngine.Sqlite] = [],
    };

    /// <summary>A misspelt option (<c>shema=</c>) would otherwise be ignored and the run go elsewhere than meant.</summary>
    private static void CheckOptions(string original, DatabaseEngine engine, IReadOnlyDictionary<string, string> options)
    {
        var known = KnownOptions[engine];
        var unknown = options.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count == 0)
            return;
        var takes = known.Length == 0 ? "a SQLite URL takes no options" : $"a {(engine == DatabaseEngine.MySql ? "mysql" : "postgres")} URL takes {string.Join(", ", known)}";
        throw Invalid(original, $"it has the option(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which Swap does not know ({takes})");
    }

    private static int ParsePort(string original, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw Invalid(original, $"the port '{text}' is not a number from 1 to 65535");

    private static (string Body, IReadOnlyDictionary<string, string> Options) SplitQuery(string text)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (q < 0)
            return (text, options);
        foreach (var pair in text[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            options[key] = eq < 0 ? "true" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return (text[..q], options);
    }

    private static SwapException Invalid(string text, string why) => new(
        SwapErrorKind.Usage,
        $"The database URL '{Redact(text)}' is not valid: {why}. Use mysql://user@host:port/db, postgres://user@host:port/db or sqlite:path/to.db; a password goes after the user, as user:password@host.");

    /// <summary>The same server and credentials, another database (MySQL) or SQLite file.</summary>
    internal DatabaseUrl WithDatabase(string database) => new(Engine, Host, Port, User, Password, database, Options);

    /// <summary>The same URL with one query-string option set (PostgreSQL <c>schema</c>, say).</summary>
    internal DatabaseUrl WithOption(string name, string value) =>
        new(Engine, Host, Port, User, Password, Database, new Dictionary<string, string>(Options, StringComparer.OrdinalIgnoreCase) { [name] = value });

    /// <summary>
    /// Replaces the password part of anything that looks like a URL with <c>***</c>: from the first
    /// ':' after the scheme to the last '@' of the URL (a password may hold '@', '/' or ':').
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
            return text;
        var start = scheme + 3;
        var end = text.IndexOfAny([' ', '\t', '\r', '\n', '\'', '"', '`'], start);
        if (end < 0)
            end = text.Length;
        var at = end > start ? text.LastIndexOf('@', end - 1, end - start) : -1;
        var colon = text.IndexOf(':', start);
        var rest = Redact(text[end..]);
        if (at < 0 || colon < 0 || colon > at)
            return text[..end] + rest;
        return string.Concat(text.AsSpan(0, colon + 1), "***", text.AsSpan(at, end - at)) + rest;
    }

    /// <summary>The URL with the password replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        if (Engine == DatabaseEngine.Sqlite)
            return "sqlite:" + Database;
        var sb = new StringBuilder(Engine == DatabaseEngine.MySql ? "mysql://" : "postgres://");
        if (User is not null)
        {
            sb.Append(Uri.EscapeDataString(User));
            if (Password is not null)
                sb.Append(":***");
            sb.Append('@');
        }
        sb.Append(Host!.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host);
        if (Port is { } p)
            sb.Append(':').Append(p.ToString(CultureInfo.InvariantCulture));
        sb.Append('/').Append(Uri.EscapeDataString(Database));
        return sb.ToString();
    }
}
