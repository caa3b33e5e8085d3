namespace Swap.Dialects;

/// <summary>The scratch database <c>swap generate</c> replays the written migrations into.</summary>
internal abstract partial class SqlDialect
{
    /// <summary>Creates a scratch namespace on a server (MySQL a database, PostgreSQL a schema); null where the scratch is a file (SQLite).</summary>
    public virtual string? CreateScratchSql(string name) => null;

    /// <summary>Drops what <see cref="CreateScratchSql"/> created, with everything in it.</summary>
    public virtual string? DropScratchSql(string name) => null;

    /// <summary>The URL of the scratch namespace <paramref name="name"/> on the server <paramref name="server"/> names.</summary>
    public virtual DatabaseUrl ScratchUrl(DatabaseUrl server, string name) => server.WithDatabase(name);
}
