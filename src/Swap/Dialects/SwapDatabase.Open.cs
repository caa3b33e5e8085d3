using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Swap;

public abstract partial class SwapDatabase
{
    /// <summary>
    /// Opens the database a URL names, on the right engine: <c>sqlite:path</c> (or a file path),
    /// <c>postgres://user:password@host:port/database?schema=...</c>,
    /// <c>mysql://user:password@host:port/database</c> (also <c>mariadb://</c>). The engine's
    /// package (<c>Swap.Sqlite</c>, <c>Swap.PostgreSql</c>, <c>Swap.MySql</c>) must be referenced
    /// by the application; the URL's options are those of <c>swap --db</c> (docs/cli.md).
    /// </summary>
    /// <exception cref="SwapException">The URL is malformed, or its engine's package is not referenced (<see cref="SwapErrorKind.Usage"/>).</exception>
    public static SwapDatabase Open(string url, ILoggerFactory? loggerFactory = null) => Open(DatabaseUrl.Parse(url), loggerFactory);

    /// <inheritdoc cref="Open(string, ILoggerFactory?)"/>
    public static SwapDatabase Open(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (assembly, type) = url.Engine switch
        {
            DatabaseEngine.Sqlite => ("Swap.Sqlite", "Swap.Sqlite.SqliteDatabase"),
            DatabaseEngine.PostgreSql => ("Swap.PostgreSql", "Swap.PostgreSql.PostgresDatabase"),
            DatabaseEngine.MySql => ("Swap.MySql", "Swap.MySql.MySqlDatabase"),
            _ => throw new SwapException(SwapErrorKind.Usage, $"Swap has no engine for {url.Engine.ProductName()} URLs."),
        };
        Type? engine;
        try
        {
            engine = Assembly.Load(assembly).GetType(type, throwOnError: true);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new SwapException(
                SwapErrorKind.Usage,
                $"The URL names a {url.Engine.ProductName()} database, but the {assembly} package is not part of this application. Add it (dotnet add package {assembly}), or construct the database object yourself.",
                e);
        }
        var constructor = engine!.GetConstructor([typeof(DatabaseUrl), typeof(ILoggerFactory)])
            ?? throw new SwapException(SwapErrorKind.Failure, $"{type} has no constructor taking a URL; the {assembly} package does not match this Swap.");
        try
        {
            return (SwapDatabase)constructor.Invoke([url, loggerFactory]);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }
}
