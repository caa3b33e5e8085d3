namespace Swap;

/// <summary>The names users know the engines by, for messages (the enum's own names, <c>MySql</c>, <c>PostgreSql</c>, are C# names).</summary>
internal static class DatabaseEngineNames
{
    public static string ProductName(this DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.MySql => "MySQL/MariaDB",
        DatabaseEngine.PostgreSql => "PostgreSQL",
        _ => "SQLite",
    };
}
