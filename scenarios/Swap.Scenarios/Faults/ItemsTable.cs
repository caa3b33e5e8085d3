using System.Data.Common;
using System.Globalization;

namespace Swap.Scenarios.Faults;

/// <summary>
/// The table every trial changes: <c>(id, grp, name, qty, note)</c> with a known, seeded initial
/// content that includes quotes, backslashes, unicode, empty strings and NULLs. The migration adds
/// <c>grp_label</c> filled from <c>grp</c> and an index on <c>name</c>, through a copy-and-swap.
/// The writer never changes <c>grp</c>, except on a <see cref="TableShape.CompositeKey"/> table,
/// where <c>grp</c> is the first column of the primary key. A <see cref="TableShape.TwoTables"/>
/// table has a <see cref="Partner"/> the same migration swaps with it.
/// </summary>
public sealed class ItemsTable
{
    private readonly FaultTarget target;

    public ItemsTable(FaultTarget target, string name = "items", TableShape shape = TableShape.Plain)
        : this(target, name, shape, "ix_fault_name")
    {
    }

    private ItemsTable(FaultTarget target, string name, TableShape shape, string indexName)
    {
        this.target = target;
        Name = name;
        Shape = shape;
        IndexName = indexName;
        // Index names are per schema on PostgreSQL: the partner's needs its own.
        Partner = shape == TableShape.TwoTables ? new ItemsTable(target, name + "_b", TableShape.Plain, indexName + "_b") : null;
    }

    public TableShape Shape { get; }

    /// <summary>The index the migration adds on <c>name</c>.</summary>
    public string IndexName { get; }

    /// <summary>For <see cref="TableShape.TwoTables"/>: the second table (<c>&lt;name&gt;_b</c>), created and checked like this one and swapped by the same migration.</summary>
    public ItemsTable? Partner { get; }

    /// <summary>The primary key's columns, in order.</summary>
    /// <summary>The unique index that keys a <see cref="TableShape.UniqueKey"/> table.</summary>
    public string KeyIndex => Name + "_id";

    public IReadOnlyList<string> KeyColumns => Shape == TableShape.CompositeKey ? ["grp", "id"] : ["id"];

    /// <summary>
    /// The predicate that finds one row by its primary key, with parameters <c>@kgrp</c> and
    /// <c>@id</c> (a composite key is used as applications use it, not by <c>id</c> alone).
    /// </summary>
    public string KeyWhere => Shape == TableShape.CompositeKey ? "grp = @kgrp AND id = @id" : "id = @id";

    private string Child => target.Quote(Name + "_notes");

    public const string ScriptId = "FaultSwapItems";

    private static readonly string[] Names = ["item", "O'Brien", "back\\slash", "Überweisung", "emoji 🚀", "semi;colon", "quote\"d", "tab\there", "order", "trailing "];

    public string Name { get; }

    private string Q => target.Quote(Name);

    /// <summary>The value the migration's FillWith gives a row.</summary>
    public static string Label(int grp) => "g" + grp.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates the table with <paramref name="rows"/> seeded rows (ids 1..rows) and returns the oracle over it.</summary>
    public async Task<ItemsModel> CreateAsync(int rows, int seed, CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        var model = new ItemsModel();
        for (var id = 1; id <= rows; id++)
            model.Put(NewRow(random, id, fromWriter: false));

        var composite = Shape == TableShape.CompositeKey;
        var key = (target.Engine == DatabaseEngine.Sqlite ? "INTEGER NOT NULL" : "BIGINT NOT NULL") + (composite || Shape == TableShape.UniqueKey ? "" : " PRIMARY KEY");
        var partitioned = Shape == TableShape.PartitionedSwap;
        if (partitioned)
            key = "BIGINT NOT NULL";
        var compositeKey = composite ? ", PRIMARY KEY (grp, id)" : partitioned ? ", PRIMARY KEY (id, grp)" : "";
        var suffix = target.Engine == DatabaseEngine.MySql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : partitioned ? " PARTITION BY RANGE (grp)" : "";
        await using var connection = await target.OpenAsync(cancellationToken);
        await Db.ExecAsync(connection, $"CREATE TABLE {Q} (id {key}, grp INT NOT NULL, name VARCHAR(64) NOT NULL, qty INT NOT NULL, note VARCHAR(200) NULL{compositeKey}){suffix}", cancellationToken);
        if (partitioned)
        {
            await Db.ExecAsync(connection, $"CREATE TABLE {target.Quote(Name + "_low")} PARTITION OF {Q} FOR VALUES FROM (MINVALUE) TO (25)", cancellationToken);
            await Db.ExecAsync(connection, $"CREATE TABLE {target.Quote(Name + "_high")} PARTITION OF {Q} FOR VALUES FROM (25) TO (MAXVALUE)", cancellationToken);
        }
        foreach (var batch in model.Rows.Values.OrderBy(r => r.Id).Chunk(100))
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var values = string.Join(", ", batch.Select((_, i) => $"(@i{i}, @g{i}, @n{i}, @q{i}, @o{i})"));
            var parameters = batch.SelectMany((r, i) => new (string, object?)[] { ($"i{i}", r.Id), ($"g{i}", r.Grp), ($"n{i}", r.Name), ($"q{i}", r.Qty), ($"o{i}", r.Note) }).ToArray();
            await Db.ExecAsync(connection, $"INSERT INTO {Q} (id, grp, name, qty, note) VALUES {values}", tx, cancellationToken, parameters);
            await tx.CommitAsync(cancellationToken);
        }
        if (Shape == TableShape.UniqueKey)
            await Db.ExecAsync(connection, $"CREATE UNIQUE INDEX {target.Quote(KeyIndex)} ON {Q} (id)", cancellationToken);
        if (Shape == TableShape.ForeignKeys)
        {
            await Db.ExecAsync(connection, $"CREATE TABLE {Child} (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, item_id BIGINT NOT NULL, CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES {Q} (id) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB", cancellationToken);
            await Db.ExecAsync(connection, $"INSERT INTO {Child} (item_id) SELECT id FROM {Q} WHERE id % 3 = 0", cancellationToken);
        }
        return model;
    }

    /// <summary>
    /// What the shape adds to the checks after a successful run: the child's key points at the
    /// table under its name and no note lost its item (cascades went to the live table); the
    /// table is partitioned with both partitions (under their own names after a swap of a partitioned
    /// table); the composite key is still <c>(grp, id)</c>.
    /// </summary>
    public async Task<List<string>> ShapeProblemsAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        await using var connection = await target.OpenAsync(cancellationToken);
        if (Shape == TableShape.ForeignKeys)
        {
            var referenced = await Db.ScalarAsync(connection, "SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'fk_notes_item'", cancellationToken) as string;
            if (referenced != Name)
                problems.Add($"the child's foreign key fk_notes_item points at {referenced ?? "nothing"}, not {Name}");
            var orphans = Convert.ToInt64(await Db.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Child} n LEFT JOIN {Q} i ON i.id = n.item_id WHERE i.id IS NULL", cancellationToken), CultureInfo.InvariantCulture);
            if (orphans > 0)
                problems.Add($"{orphans} note(s) point at items that are gone (a cascade went to the old table)");
        }
        if (Shape == TableShape.CompositeKey)
        {
            var sql = target.Engine switch
            {
                DatabaseEngine.PostgreSql => "SELECT k.column_name FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name WHERE t.table_schema = current_schema() AND t.table_name = @t AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
                DatabaseEngine.MySql => "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
                _ => "SELECT name FROM pragma_table_info(@t) WHERE pk > 0 ORDER BY pk",
            };
            var key = string.Join(", ", (await Db.QueryAsync(connection, sql, cancellationToken, ("t", Name))).Select(r => (string)r[0]!));
            if (key != string.Join(", ", KeyColumns))
                problems.Add($"the table's primary key is ({key}); expected ({string.Join(", ", KeyColumns)})");
        }
        if (Shape == TableShape.UniqueKey)
        {
            var sql = target.Engine switch
            {
                DatabaseEngine.PostgreSql => "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = (SELECT oid FROM pg_class WHERE relname = @t AND relnamespace = current_schema()::regnamespace) AND c.relname = @i AND i.indisunique AND NOT i.indisprimary",
                DatabaseEngine.MySql => "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t AND INDEX_NAME = @i AND NON_UNIQUE = 0",
                _ => "SELECT count(*) FROM pragma_index_list(@t) WHERE name = @i AND \"unique\" = 1",
            };
            if (Convert.ToInt64(await Db.ScalarAsync(connection, sql, cancellationToken, ("t", Name), ("i", KeyIndex)), CultureInfo.InvariantCulture) != 1)
                problems.Add($"the table lost its unique key index {KeyIndex}");
        }
        if (Shape is TableShape.Partitioned or TableShape.PartitionedSwap)
        {
            var sql = target.Engine == DatabaseEngine.MySql
                ? "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY 1"
                : "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = (SELECT oid FROM pg_class WHERE relname = @t AND relnamespace = current_schema()::regnamespace) ORDER BY 1";
            var partitions = await Db.QueryAsync(connection, sql, cancellationToken, ("t", Name));
            var names = string.Join(", ", partitions.Select(r => (string)r[0]!));
            if (names != $"{Name}_high, {Name}_low")
                problems.Add($"the table's partitions are [{names}]; expected {Name}_high, {Name}_low");
        }
        return problems;
    }

    /// <summary>A row with seeded, deliberately awkward values.</summary>
    public static ItemRow NewRow(Random random, long id, bool fromWriter)
    {
        var name = $"{Names[random.Next(Names.Length)]} {id}";
        var note = random.Next(6) switch
        {
            0 => null,
            1 => "",
            2 => $"it's {random.Next()} \\ \"x\"",
            _ => $"note {random.Next(1_000_000)} ü",
        };
        return new ItemRow(id, random.Next(0, 50), name, random.Next(0, 1000), note, fromWriter);
    }

    /// <summary>
    /// The C# migration: add grp_label (FillWith over grp) and an index on name, swapped in online;
    /// with a <see cref="Partner"/>, both tables altered alike and swapped by one <c>DoneUsingTablesAsync</c>.
    /// </summary>
    public string Migration() => $$"""
        using Swap.Engine;

        public sealed class {{ScriptId}} : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var table = await db.UseTableForAlterAsync("{{Name}}");
                table.AddColumn(DbColumn.String("grp_label", 40).FillWith(db.Engine == DatabaseEngine.MySql ? "CONCAT('g', grp)" : "'g' || grp"));
                table.AddIndex(DbIndex.Create("name").Named("{{IndexName}}"));
                {{(Shape == TableShape.Partitioned ? $"table.SetPrimaryKey(\"id\", \"grp\"); table.PartitionBy(DbPartitioning.Range(\"grp\").Partition(\"{Name}_low\", \"{(target.Engine == DatabaseEngine.MySql ? "LESS THAN (25)" : "FROM (MINVALUE) TO (25)")}\").Partition(\"{Name}_high\", \"{(target.Engine == DatabaseEngine.MySql ? "LESS THAN (MAXVALUE)" : "FROM (25) TO (MAXVALUE)")}\"));" : "")}}
                {{(Partner is { } p ? $"var partner = await db.UseTableForAlterAsync(\"{p.Name}\");\n        partner.AddColumn(DbColumn.String(\"grp_label\", 40).FillWith(db.Engine == DatabaseEngine.MySql ? \"CONCAT('g', grp)\" : \"'g' || grp\"));\n        partner.AddIndex(DbIndex.Create(\"name\").Named(\"{p.IndexName}\"));" : "")}}
                await db.DoneUsingTablesAsync({{string.Join(", ", new[] { Name, Partner?.Name }.OfType<string>().Select(n => "\"" + n + "\""))}});
            }
        }
        """;

    public string WriteMigration() => target.WriteMigration("20261201000000_" + ScriptId + ".cs", Migration());

    /// <summary>
    /// Compares the live table with the oracle: every original column exactly; <c>grp_label</c>
    /// derived from <c>grp</c>, or NULL for rows the writer inserted (they may have come after the
    /// cut-over, when nothing fills the new column). Returns the differences (empty when equal).
    /// </summary>
    public async Task<List<string>> CompareAsync(ItemsModel model, bool expectLabel, CancellationToken cancellationToken = default)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        var label = expectLabel ? ", grp_label" : "";
        var rows = await Db.QueryAsync(connection, $"SELECT id, grp, name, qty, note{label} FROM {Q} ORDER BY id", cancellationToken);
        var problems = new List<string>();
        var seen = new HashSet<long>();
        foreach (var r in rows)
        {
            var id = Convert.ToInt64(r[0], CultureInfo.InvariantCulture);
            seen.Add(id);
            var expected = model.Find(id);
            var actual = new ItemRow(id, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!, Convert.ToInt32(r[3], CultureInfo.InvariantCulture), (string?)r[4], false);
            if (expected is null)
            {
                problems.Add($"row {id} is in the table but not in the oracle (a ghost): {Show(actual)}");
                continue;
            }
            if (expected.Grp != actual.Grp || expected.Name != actual.Name || expected.Qty != actual.Qty || expected.Note != actual.Note)
                problems.Add($"row {id} differs: expected {Show(expected)}, found {Show(actual)}");
            if (expectLabel)
            {
                var found = (string?)r[5];
                var former = expected.FormerGrps ?? [];
                if (found != Label(actual.Grp) && !(found is null && expected.FromWriter) && !former.Any(g => found == Label(g)))
                    problems.Add($"row {id}: grp_label is {(found is null ? "NULL" : "'" + found + "'")}, expected '{Label(actual.Grp)}'{(expected.FromWriter ? " or NULL" : "")}{(former.Length > 0 ? " or the label of a group it was moved out of (" + string.Join(", ", former) + ")" : "")}");
            }
        }
        foreach (var missing in model.Rows.Keys.Where(k => !seen.Contains(k)).Order().Take(20))
            problems.Add($"row {missing} is missing: expected {Show(model.Rows[missing])}");
        if (problems.Count > 20)
            problems = [.. problems.Take(20), $"... and {problems.Count - 20} more differences"];
        if (rows.Count != model.Count)
            problems.Insert(0, $"the table has {rows.Count} rows, the oracle {model.Count}");
        return problems;
    }

    /// <summary>Reads one row on the given connection (for resolving an ambiguous write).</summary>
    public async Task<ItemRow?> ReadAsync(DbConnection connection, long id, CancellationToken cancellationToken)
    {
        var rows = await Db.QueryAsync(connection, $"SELECT id, grp, name, qty, note FROM {Q} WHERE id = @id", cancellationToken, ("id", id));
        if (rows.Count == 0)
            return null;
        var r = rows[0];
        return new ItemRow(id, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!, Convert.ToInt32(r[3], CultureInfo.InvariantCulture), (string?)r[4], false);
    }

    public static string Show(ItemRow r) => $"({r.Id}, {r.Grp}, '{r.Name}', {r.Qty}, {(r.Note is null ? "NULL" : "'" + r.Note + "'")})";

    /// <summary>Same original columns (the origin flag is the oracle's own).</summary>
    public static bool SameValues(ItemRow? a, ItemRow? b) =>
        a is null || b is null ? a is null && b is null : a.Id == b.Id && a.Grp == b.Grp && a.Name == b.Name && a.Qty == b.Qty && a.Note == b.Note;
}
