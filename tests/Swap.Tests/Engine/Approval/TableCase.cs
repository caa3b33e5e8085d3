namespace Swap.Tests.Engine.Approval;

/// <summary>
/// One case of the shared approved-SQL set: a table, the script's changes to it, and the direction.
/// Every dialect renders every case; only the spelling of the SQL differs between them.
/// </summary>
internal sealed record TableCase(string Name, CaseTable Table, Action<DbTable> Change, bool Revert = false)
{
    public static IReadOnlyList<TableCase> All { get; } = [Plain, Composite, Quoting, RevertOfComposite, Checks, ForeignKey];

    public static TableCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>An integer key; a type change, a new column with a default, and a new secondary index built after the copy.</summary>
    private static TableCase Plain => new(
        "plain",
        new CaseTable(
            "orders",
            [new("id", CaseType.Int), new("customer", CaseType.Varchar(100)), new("amount", CaseType.Int)],
            ["id"],
            [new CaseIndex("ix_orders_customer", "customer")]),
        t => t
            .AlterType("amount", ColumnType.Decimal(12, 2))
            .AddColumn(DbColumn.String("status", 20).NotNull().SetDefault("new"))
            .AddIndex(DbIndex.Create("status")));

    private static CaseTable LineItems => new(
        "line_items",
        [new("tenant", CaseType.Int), new("id", CaseType.BigInt), new("sku", CaseType.Varchar(40)), new("note", CaseType.Varchar(200), Nullable: true), new("qty", CaseType.Int)],
        ["tenant", "id"],
        []);

    /// <summary>A composite key (tenant, id); a renamed column and a dropped one.</summary>
    private static TableCase Composite => new(
        "composite",
        LineItems,
        t => t.RenameColumn("sku", "product_code").DropColumn("note"));

    /// <summary>
    /// Names with the engines' quote characters and a space: the table <c>we"ird</c>, the key
    /// <c>k`ey</c>, the column <c>sp ace"col</c>; and a default holding a single quote.
    /// </summary>
    private static TableCase Quoting => new(
        "quoting",
        new CaseTable(
            "we\"ird",
            [new("k`ey", CaseType.Int), new("sp ace\"col", CaseType.Varchar(50)), new("plain", CaseType.Int, Nullable: true)],
            ["k`ey"],
            []),
        t => t
            .AlterType("sp ace\"col", ColumnType.String(80))
            .AddColumn(DbColumn.String("note", 20).NotNull().SetDefault("it's"))
            .AddIndex(DbIndex.Create("sp ace\"col").Named("ix_weird_space")));

    /// <summary>
    /// CHECK constraints: the table has <c>ck_kind</c>; the script drops it and adds <c>ck_balance</c>
    /// (amount >= 0). PostgreSQL drops and adds
    /// in place (NOT VALID, then VALIDATE); MySQL/MariaDB and SQLite copy.
    /// </summary>
    private static TableCase Checks => new(
        "checks",
        new CaseTable(
            "accounts",
            [new("id", CaseType.Int), new("kind", CaseType.Varchar(10)), new("amount", CaseType.Int)],
            ["id"],
            [],
            [new CaseCheck("ck_kind", "kind <> ''")]),
        t => t.DropCheck("ck_kind").AddCheck("ck_amount", "amount >= 0"));

    /// <summary>
    /// A new foreign key beside a type change, so every engine copies: MySQL/MariaDB and SQLite put
    /// the key on the copy (its chunks check every row), PostgreSQL adds it after the cut-over and
    /// looks for a row without a parent in the copy before it (<c>FirstOrphan</c>).
    /// </summary>
    private static TableCase ForeignKey => new(
        "foreign-key",
        new CaseTable(
            "invoices",
            [new("id", CaseType.Int), new("customer_id", CaseType.Int, Nullable: true), new("amount", CaseType.Int)],
            ["id"],
            []),
        t => t
            .AlterType("amount", ColumnType.Decimal(12, 2))
            .AddForeignKey(DbForeignKey.Create("customer_id", "customers", "id")));

    /// <summary>
    /// The way back of the composite case in a revert window: from the swapped-in table into the
    /// kept old one, whose dropped column keeps its values (filled by the revert value for new rows).
    /// </summary>
    private static TableCase RevertOfComposite => new(
        "revert",
        LineItems,
        t => t.RenameColumn("sku", "product_code").DropColumn("note").SetRevertValue("note", "'reverted'"),
        Revert: true);
}

internal static class CaseChanges
{
    public static DbTable AlterType(this DbTable table, string column, ColumnType type)
    {
        table.GetColumn(column).SetType(type);
        return table;
    }
}
