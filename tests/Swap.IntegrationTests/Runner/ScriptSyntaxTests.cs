using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>Scripts split the way each engine's own client would, checked by running them on the engine.</summary>
public class ScriptSyntaxTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_generic_base_class_of_csharp_migrations_is_a_base_not_a_script(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CSharp("20261119000000_Seeds", """
            public class SeedMigration<TName> : Migration
            {
                public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("INSERT INTO a (id, name) VALUES (@id, @name)", new { id = typeof(TName).Name.Length, name = typeof(TName).Name });
            }

            public sealed class MigrateSeedString : SeedMigration<string>
            {
                public MigrateSeedString() => ExecuteAfter("20261118000000_a");
            }
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["20261118000000_a", "MigrateSeedString"], await target.HistoryIdsAsync());
        Assert.Equal(["String"], await target.ColumnAsync("SELECT name FROM a"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Up_and_down_file_pairs_run_their_own_halves(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.WriteFile("migrations/20261118000000_pair.up.sql", "CREATE TABLE pair (id INT NOT NULL PRIMARY KEY, note VARCHAR(50) NOT NULL);\nINSERT INTO pair (id, note) VALUES (1, 'a;b -- not a comment');");
        target.WriteFile("migrations/20261118000000_pair.down.sql", "DROP TABLE pair;");

        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        Assert.Equal(["a;b -- not a comment"], await target.ColumnAsync("SELECT note FROM pair"));
        Assert.Equal(["20261118000000_pair"], await target.HistoryIdsAsync());

        Assert.Equal(0, (await SwapCli.RunAsync(target, "down")).ExitCode);
        Assert.DoesNotContain("pair", await target.TablesAsync());
    }

    [Fact]
    public async Task Postgres_dollar_quoted_functions_and_escape_strings_run_as_written()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.Sql("20261118000000_fn", """
            CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
            CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
              NEW.body := NEW.body || '; stamped';
              RETURN NEW;
            END;
            $body$;
            CREATE TRIGGER notes_stamp BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION stamp();
            /* nested /* comments */ are fine; */
            INSERT INTO notes (id, body) VALUES (1, E'it\'s');
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["it's; stamped"], await target.ColumnAsync("SELECT body FROM notes"));
    }

    [Fact]
    public async Task Sqlite_trigger_bodies_run_as_one_statement()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.Sql("20261118000000_trigger", """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE item_log (item_id INTEGER NOT NULL, what TEXT NOT NULL);
            CREATE TRIGGER items_log AFTER INSERT ON items
            BEGIN
              INSERT INTO item_log (item_id, what) VALUES (NEW.id, 'insert; ' || NEW.name);
              UPDATE items SET name = upper(name) WHERE id = NEW.id;
            END;
            INSERT INTO items (id, name) VALUES (1, 'bolt');
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["BOLT"], await target.ColumnAsync("SELECT name FROM items"));
        Assert.Equal(["insert; bolt"], await target.ColumnAsync("SELECT what FROM item_log"));
    }
}
