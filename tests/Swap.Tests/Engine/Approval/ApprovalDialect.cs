using Swap.Engine;
using Swap.Engine.Schema;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Tests.Engine.Approval;

/// <summary>
/// One dialect under approval: its table engine, built from a URL without connecting, and the
/// schema its catalog reader would report for a case's table (type spellings, key and index names,
/// the engine-specific facts the SQL generators read back).
/// </summary>
internal abstract class ApprovalDialect
{
    public static IReadOnlyList<ApprovalDialect> All { get; } = [new MySqlCatalog(), new PostgresCatalog(), new SqliteCatalog()];

    public static ApprovalDialect Named(string name) => All.Single(d => d.Name == name);

    /// <summary>The folder of the dialect's approved files.</summary>
    public abstract string Name { get; }

    public abstract TableEngine Engine { get; }

    /// <summary>The type as the engine's catalog reports it.</summary>
    protected abstract string TypeOf(CaseType type);

    public TableSchema Schema(CaseTable table) => WithCatalogFacts(table, new TableSchema
    {
        Name = table.Name,
        Columns = table.Columns.Select(c => new ColumnSchema(c.Name, TypeOf(c.Type), c.Nullable)).ToList(),
        PrimaryKey = table.PrimaryKey,
        Indexes = table.Indexes.Select(i => new IndexSchema(i.Name, i.Columns.Select(c => new IndexColumn(c)).ToList(), Unique: false, Definition: IndexDefinition(table, i))).ToList(),
        Checks = (table.Checks ?? []).Select(c => new CheckSchema(c.Name, c.Expression)).ToList(),
        EstimatedRows = 1_000_000,
    });

    /// <summary>The index definition text the catalog keeps, or null where the engine keeps none.</summary>
    protected virtual string? IndexDefinition(CaseTable table, CaseIndex index) => null;

    protected virtual TableSchema WithCatalogFacts(CaseTable table, TableSchema schema) => schema;

    /// <summary>The original as the catalog shows it once the forward cut-over renamed it away (its key and index names, where the cut-over renames them).</summary>
    public virtual TableSchema AfterForwardCutOver(TableSchema old) => old;

    private sealed class MySqlCatalog : ApprovalDialect
    {
        public override string Name => "mysql";

        public override TableEngine Engine { get; } = new MySqlDatabase(DatabaseUrl.Parse("mysql://swap@localhost:3306/app")).TableEngine;

        protected override string TypeOf(CaseType type) => type.Kind switch
        {
            "int" => "int(11)",
            "bigint" => "bigint(20)",
            _ => $"varchar({type.Length})",
        };

        protected override TableSchema WithCatalogFacts(CaseTable table, TableSchema schema) =>
            schema with { Extra = new Dictionary<string, string> { ["engine"] = "InnoDB" } };
    }

    private sealed class PostgresCatalog : ApprovalDialect
    {
        public override string Name => "postgresql";

        public override TableEngine Engine { get; } = new PostgresDatabase(DatabaseUrl.Parse("postgres://swap@localhost:5432/app")).TableEngine;

        protected override string TypeOf(CaseType type) => type.Kind switch
        {
            "int" => "integer",
            "bigint" => "bigint",
            _ => $"character varying({type.Length})",
        };

        /// <summary>pg_get_indexdef after "ON table".</summary>
        protected override string? IndexDefinition(CaseTable table, CaseIndex index) =>
            $"USING btree ({string.Join(", ", index.Columns.Select(Engine.Dialect.Quote))})";

        /// <summary>The key's name, and the CHECKs as pg_get_constraintdef prints them (which the copy re-creates).</summary>
        protected override TableSchema WithCatalogFacts(CaseTable table, TableSchema schema) => schema with
        {
            PrimaryKeyName = table.Name + "_pkey",
            Extra = new Dictionary<string, string>
            {
                ["constraints"] = System.Text.Json.JsonSerializer.Serialize((table.Checks ?? []).Select(c => new[] { c.Name, $"CHECK (({c.Expression}))", "[]" })),
            },
        };

        public override TableSchema AfterForwardCutOver(TableSchema old) => old with
        {
            PrimaryKeyName = PostgresTableEngine.OldIndexName(PostgresTableEngine.PrimaryKeyName(old)),
            Indexes = old.Indexes.Select(i => i with { Name = PostgresTableEngine.OldIndexName(i.Name) }).ToList(),
        };
    }

    private sealed class SqliteCatalog : ApprovalDialect
    {
        public override string Name => "sqlite";

        public override TableEngine Engine { get; } = new SqliteDatabase(":memory:").TableEngine;

        protected override string TypeOf(CaseType type) => type.Kind switch
        {
            "int" or "bigint" => "INTEGER",
            _ => $"VARCHAR({type.Length})",
        };

        /// <summary>sqlite_schema's text of the index.</summary>
        protected override string? IndexDefinition(CaseTable table, CaseIndex index) =>
            $"CREATE INDEX {Engine.Dialect.Quote(index.Name)} ON {Engine.Dialect.Quote(table.Name)} ({string.Join(", ", index.Columns.Select(Engine.Dialect.Quote))})";

        /// <summary>sqlite_schema's text of the table, which the copy is built from.</summary>
        protected override TableSchema WithCatalogFacts(CaseTable table, TableSchema schema)
        {
            var q = Engine.Dialect.Quote;
            var columns = table.Columns.Select(c => $"{q(c.Name)} {TypeOf(c.Type)}{(c.Nullable ? "" : " NOT NULL")}");
            var key = $"PRIMARY KEY ({string.Join(", ", table.PrimaryKey.Select(q))})";
            var checks = (table.Checks ?? []).Select(c => $"CONSTRAINT {q(c.Name)} CHECK ({c.Expression})");
            var sql = $"CREATE TABLE {q(table.Name)} (\n  {string.Join(",\n  ", columns.Append(key).Concat(checks))}\n)";
            return schema with { Extra = new Dictionary<string, string> { ["sql"] = sql } };
        }
    }
}
