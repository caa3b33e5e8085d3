
namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Writes migration scripts into a target's <c>migrations</c> folder. SQL here runs unchanged on SQLite, PostgreSQL and MySQL.</summary>
public static class Scripts
{
    public static string Sql(this TestTarget target, string id, string text, string? group = null) =>
        target.WriteFile(Path.Combine("migrations", group ?? "", id + ".sql"), text);

    public static string CSharp(this TestTarget target, string fileStem, string text, string? group = null) =>
        target.WriteFile(Path.Combine("migrations", group ?? "", fileStem + ".cs"), text);

    /// <summary>A table with an explicit key (no engine-specific auto-increment) and a down that drops it.</summary>
    public static string CreateTable(this TestTarget target, string id, string table, bool down = true) =>
        target.Sql(id, $"CREATE TABLE {table} (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);\n" + (down ? $"-- swap:down\nDROP TABLE {table};\n" : ""));

    /// <summary>String concatenation that works on every engine (MySQL reads || as OR).</summary>
    public static string Concat(DatabaseEngine engine, params string[] parts) =>
        engine == DatabaseEngine.MySql ? $"CONCAT({string.Join(", ", parts)})" : string.Join(" || ", parts);
}
