using Swap.Data;
using static Swap.IntegrationTests.BadInput.CatalogTarget;

namespace Swap.IntegrationTests.BadInput;

/// <summary>
/// Hostile identifiers: names with quotes, backticks, semicolons, backslashes or control characters
/// are refused (exit 7) with the reason, before any SQL is built from them; unicode names and
/// reserved words are fine, end to end through a copy-and-swap.
/// </summary>
public class IdentifierCases
{
    private const string Advice = "Swap accepts letters (any script), digits, '_', '$', '-', spaces inside the name and reserved words.";

    private static async Task<Outcome> ScriptAsync(CatalogTarget t, string name, string body)
    {
        t.CSharp("20261120000000", name, body);
        return await t.RunAsync("up");
    }

    public static TheoryData<DatabaseEngine, string, string> HostileTables => new()
    {
        { DatabaseEngine.PostgreSql, "it's", "The table name 'it's' contains a single quote (')." },
        { DatabaseEngine.MySql, "ite`ms", "The table name 'ite`ms' contains a backtick (`)." },
        { DatabaseEngine.Sqlite, "items; DROP TABLE items", "The table name 'items; DROP TABLE items' contains a semicolon (;)." },
        { DatabaseEngine.PostgreSql, "ite\"ms", "The table name 'ite\"ms' contains a double quote (\")." },
        { DatabaseEngine.MySql, "ite\\ms", "The table name 'ite\\ms' contains a backslash (\\)." },
        { DatabaseEngine.Sqlite, "items\n", "The table name 'items\\u000a' contains the control character U+000A." },
    };

    [Theory]
    [MemberData(nameof(HostileTables))]
    public async Task A_hostile_table_name_is_refused_before_any_sql_is_built(DatabaseEngine engine, string name, string message)
    {
        await using var t = await CreateAsync(engine);
        var literal = name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        var run = await ScriptAsync(t, "MigrateHostileTable", $"await db.UseTableForAlterAsync(\"{literal}\");");
        AssertFails(run, 7, $"error: MigrateHostileTable: {message} Rename the table, or pick another name; {Advice}\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_new_column_name_with_a_quote_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        var run = await ScriptAsync(t, "MigrateHostileColumn", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddColumn(DbColumn.Int("o'clock"));
            await db.DoneUsingTablesAsync("items");
            """);
        AssertFails(run, 7, $"error: MigrateHostileColumn: The column name 'o'clock' contains a single quote ('). Rename the column, or pick another name; {Advice}\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task An_index_name_with_a_semicolon_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.MySql);
        var run = await ScriptAsync(t, "MigrateHostileIndex", """
            var table = await db.UseTableForAlterAsync("items");
            table.AddIndex(DbIndex.Create("name").Named("ix_name; DROP TABLE items"));
            await db.DoneUsingTablesAsync("items");
            """);
        AssertFails(run, 7, $"error: MigrateHostileIndex: The index name 'ix_name; DROP TABLE items' contains a semicolon (;). Rename the index, or pick another name; {Advice}\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task Renaming_a_column_to_a_name_with_a_backtick_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.Sqlite);
        var run = await ScriptAsync(t, "MigrateHostileRename", """
            var table = await db.UseTableForAlterAsync("items");
            table.RenameColumn("note", "no`te");
            await db.DoneUsingTablesAsync("items");
            """);
        AssertFails(run, 7, $"error: MigrateHostileRename: The column name 'no`te' contains a backtick (`). Rename the column, or pick another name; {Advice}\n");
        await t.AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_history_prefix_with_a_quote_is_refused()
    {
        await using var t = await CreateAsync(DatabaseEngine.PostgreSql);
        t.Sql("20261120000000_more", "INSERT INTO items (id, grp, name) VALUES (9, 9, 'x');");
        var run = await t.RunAsync("up", "--history-prefix", "sw'ap");
        AssertFails(run, 7, $"error: The history table name 'sw'ap_history' contains a single quote ('). Rename the history table, or pick another name; {Advice}\n");
        await t.AssertUnchangedAsync();
    }

    public static TheoryData<DatabaseEngine, string, string, string> FriendlyNames => new()
    {
        { DatabaseEngine.PostgreSql, "order", "select", "group" },
        { DatabaseEngine.MySql, "order", "select", "group" },
        { DatabaseEngine.Sqlite, "order", "select", "group" },
        { DatabaseEngine.PostgreSql, "Überweisung", "Betrag€", "größe" },
        { DatabaseEngine.MySql, "Überweisung", "Betrag€", "größe" },
        { DatabaseEngine.Sqlite, "Überweisung", "Betrag€", "größe" },
    };

    [Theory]
    [MemberData(nameof(FriendlyNames))]
    public async Task Reserved_words_and_unicode_names_swap_like_any_other(DatabaseEngine engine, string table, string column, string added)
    {
        await using var t = await CreateAsync(engine);
        var d = t.Target.Database().Dialect;
        var key = engine == DatabaseEngine.MySql ? "INT NOT NULL PRIMARY KEY" : "INTEGER NOT NULL PRIMARY KEY";
        await t.Target.ExecuteAsync($"CREATE TABLE {d.Quote(table)} (id {key}, {d.Quote(column)} VARCHAR(20) NOT NULL)");
        await t.Target.ExecuteAsync($"INSERT INTO {d.Quote(table)} (id, {d.Quote(column)}) VALUES (1, 'eins'), (2, 'zwei'), (3, 'drei')");
        t.CSharp("20261120000000", "MigrateFriendlyNames", $$"""
            var table = await db.UseTableForAlterAsync("{{table}}");
            table.AddColumn(DbColumn.Int("{{added}}").SetDefault(7));
            table.AddIndex(DbIndex.Create("{{column}}"));
            await db.DoneUsingTablesAsync("{{table}}");
            """);

        var run = await t.RunAsync("up");

        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("applied\tMigrateFriendlyNames\t", run.Out, StringComparison.Ordinal);
        var rows = await t.Target.QueryAsync($"SELECT id, {d.Quote(column)} AS c, {d.Quote(added)} AS a FROM {d.Quote(table)} ORDER BY id");
        Assert.Equal(["1 eins 7", "2 zwei 7", "3 drei 7"], rows.Select(r => $"{r.Int64("id")} {r.String("c")} {r.Int64("a")}"));
        var status = await t.RunAsync("status", "--json");
        Assert.Contains("\"leftovers\": []", status.Out, StringComparison.Ordinal);
    }
}
