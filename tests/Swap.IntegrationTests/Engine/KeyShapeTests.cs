using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>Chunking over composite and non-integer keys, and foreign keys added through the engineer.</summary>
public class KeyShapeTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_composite_text_and_integer_key_is_walked_in_chunks_without_losing_or_repeating_rows(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var suffix = engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        await target.ExecuteAsync($"CREATE TABLE readings (region VARCHAR(20) NOT NULL, seq INT NOT NULL, value INT NOT NULL, PRIMARY KEY (region, seq)){suffix}");
        var expected = new List<(string Region, long Seq, long Value)>();
        await using (var c = await target.OpenAsync())
        {
            await using var tx = await c.BeginTransactionAsync();
            foreach (var region in new[] { "eu-north", "eu-west", "us-east", "Ünïcode", "ap" })
            {
                for (var seq = 1; seq <= 400; seq++)
                {
                    await Swap.Data.DbCommands.ExecuteAsync(c, "INSERT INTO readings (region, seq, value) VALUES (@r, @s, @v)", new { r = region, s = seq, v = seq * 3 }, tx, default);
                    expected.Add((region, seq, seq * 3));
                }
            }
            await tx.CommitAsync();
        }
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigrateReadings : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("readings");
                    t.AddColumn(DbColumn.BigInt("doubled").FillWith("value * 2"));
                    await db.DoneUsingTablesAsync("readings");
                }
            }
            """, "20260101000000_MigrateReadings.cs");

        await EngineKit.Migrator(target, o => o.Swap.MaxChunkSize = 70).UpAsync();

        var rows = await target.QueryAsync("SELECT region, seq, value, doubled FROM readings");
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(
            expected.OrderBy(e => e.Region, StringComparer.Ordinal).ThenBy(e => e.Seq),
            rows.Select(r => (r.String("region")!, r.Int64("seq")!.Value, r.Int64("value")!.Value)).OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2));
        Assert.All(rows, r => Assert.Equal(r.Int64("value") * 2, r.Int64("doubled")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_foreign_key_added_through_the_engineer_is_enforced_after_the_swap(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var suffix = engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        await target.ExecuteAsync($"CREATE TABLE owners (id INT NOT NULL PRIMARY KEY){suffix}");
        await target.ExecuteAsync($"CREATE TABLE pets (id INT NOT NULL PRIMARY KEY, owner_id INT NOT NULL){suffix}");
        await target.ExecuteAsync("INSERT INTO owners (id) VALUES (1), (2)");
        await target.ExecuteAsync("INSERT INTO pets (id, owner_id) VALUES (10, 1), (11, 2), (12, 1)");
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigratePets : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var pets = await db.UseTableForAlterAsync("pets");
                    pets.AddForeignKey(DbForeignKey.Create("owner_id", "owners", "id").Named("fk_pets_owner").OnDelete("CASCADE"));
                    await db.DoneUsingTablesAsync("pets");
                }
            }
            """, "20260101000000_MigratePets.cs");

        await EngineKit.Migrator(target).UpAsync();

        if (engine == DatabaseEngine.Sqlite)
            await target.ExecuteAsync("PRAGMA foreign_keys = ON");
        Assert.Equal(3L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM pets"), System.Globalization.CultureInfo.InvariantCulture));
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        if (engine == DatabaseEngine.Sqlite)
            await Swap.Data.DbCommands.ExecuteAsync(c, "PRAGMA foreign_keys = ON", default);
        var schema = (await database.TableEngine.LoadTableAsync(c, null, "pets", default))!;
        Assert.Contains(schema.ForeignKeys, f => f.ReferencedTable == "owners" && f.Columns.SequenceEqual(["owner_id"]));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Swap.Data.DbCommands.ExecuteAsync(c, "INSERT INTO pets (id, owner_id) VALUES (13, 99)", default));
        await Swap.Data.DbCommands.ExecuteAsync(c, "DELETE FROM owners WHERE id = 1", default);
        Assert.Equal(1L, Convert.ToInt64(await Swap.Data.DbCommands.ScalarAsync(c, "SELECT COUNT(*) FROM pets", default), System.Globalization.CultureInfo.InvariantCulture));
    }
}
