using Swap.Engine;
using Swap.Scenarios.Online.Data;

namespace Swap.Scenarios.Online.Worker;

/// <summary>The benchmark's change through Swap's table engineer, the way a user writes it.</summary>
public abstract class BenchChangeMigration : Migration
{
    internal abstract TableModel Table { get; }

    /// <summary>False for the revert-window variant: a widened column cannot be taken back exactly.</summary>
    internal virtual bool Widen => true;

    public override async Task UpAsync(MigrationContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var change = Table.Change;
        var t = await db.UseTableForAlterAsync(Table.Name);
        if (change.AddOnly)
        {
            // bench --change add-column: a nullable column at the end, which every engine adds instantly.
            t.AddColumn(DbColumn.String(change.Added.Name, change.Added.Length));
            await db.DoneUsingTablesAsync(Table.Name);
            return;
        }
        t.AddColumn(DbColumn.String(change.Added.Name, change.Added.Length).NotNull().SetDefault(change.Default), after: change.After);
        if (Widen)
            t.GetColumn(change.Widened).SetType(ColumnType.BigInt);
        t.AddIndex(DbIndex.Create([.. change.Index.Columns]).Named(change.Index.Name));
        await db.DoneUsingTablesAsync(Table.Name);
    }
}

/// <summary>users: add <c>kind</c>, widen <c>login_count</c>, index <c>(kind, created_at)</c>.</summary>
public sealed class BenchChangeUsers : BenchChangeMigration
{
    internal override TableModel Table { get; } = new UsersTable();
}

/// <summary>attachments: add <c>scan_status</c>, widen <c>byte_size</c>, index <c>(scan_status, created_at)</c>.</summary>
public sealed class BenchChangeAttachments : BenchChangeMigration
{
    internal override TableModel Table { get; } = new AttachmentsTable();
}

/// <summary>users, for the revert-window variant: the same change without the widening.</summary>
public sealed class BenchChangeUsersRevertible : BenchChangeMigration
{
    internal override TableModel Table { get; } = new UsersTable();

    internal override bool Widen => false;
}

/// <summary>attachments, for the revert-window variant: the same change without the widening.</summary>
public sealed class BenchChangeAttachmentsRevertible : BenchChangeMigration
{
    internal override TableModel Table { get; } = new AttachmentsTable();

    internal override bool Widen => false;
}

/// <summary>users, <c>bench --change add-column</c>: only <c>kind</c>, nullable, at the end.</summary>
public sealed class BenchAddColumnUsers : BenchChangeMigration
{
    internal override TableModel Table { get; } = new UsersTable { AddOnly = true };
}

/// <summary>attachments, <c>bench --change add-column</c>: only <c>scan_status</c>, nullable, at the end.</summary>
public sealed class BenchAddColumnAttachments : BenchChangeMigration
{
    internal override TableModel Table { get; } = new AttachmentsTable { AddOnly = true };
}
