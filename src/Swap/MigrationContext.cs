using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.Running;

namespace Swap;

/// <summary>
/// What a migration script works with: the target database, the run's cancellation token, a
/// logger, and the table operations of the online copy-and-swap engine. Every write goes through
/// here so that it is part of the script's transaction or journal.
/// </summary>
public sealed partial class MigrationContext
{
    private readonly ScriptSession session;

    internal MigrationContext(ScriptSession session)
    {
        this.session = session;
    }

    /// <summary>Cancelled when the run is cancelled (Ctrl+C, time budget, host shutdown).</summary>
    public CancellationToken CancellationToken => session.CancellationToken;

    /// <summary>The engine of the target database, for scripts that must differ per engine.</summary>
    public DatabaseEngine Engine => session.Database.Engine;

    /// <summary>The id of the running script.</summary>
    public string ScriptId => session.Script.Id;

    /// <summary>True during <c>swap plan</c>: writes are recorded, not sent.</summary>
    public bool IsDryRun => session.Mode == ExecutionMode.DryRun;

    /// <summary>A logger for the script's own messages.</summary>
    public ILogger Logger => session.Logger;

    /// <summary>
    /// Runs one SQL statement on the target and returns the number of rows it affected. Values go
    /// in <paramref name="parameters"/> (an anonymous object or a dictionary) and are referred to
    /// as <c>@name</c>; they are never put into the SQL text.
    /// </summary>
    public Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return ExecuteStatementAsync(sql, parameters, sql);
    }

    internal async Task<int> ExecuteStatementAsync(string sql, object? parameters, string description)
    {
        var values = SqlParameters.Read(parameters);
        if (session.Mode == ExecutionMode.DryRun)
        {
            session.Plan.Add(new PlannedStep("execute", [values.Count == 0 ? sql : sql + "  -- with " + string.Join(", ", values.Select(v => "@" + v.Key))]));
            return 0;
        }
        var identity = sql + "\n" + string.Join("\n", values.Select(v => v.Key + "=" + Convert.ToString(v.Value, CultureInfo.InvariantCulture)));
        var dialect = session.Database.Dialect;
        return await session.StepAsync(
            "execute",
            Shorten(description),
            identity,
            async tx =>
            {
                try
                {
                    // One statement by Swap's own splitter (a SQL file's statements always are) goes
                    // as a one-command batch where the driver would split it again at its semicolons.
                    return dialect.SendsOneStatementAsBatch && session.Connection.CanCreateBatch && IsOneStatement(sql, dialect)
                        ? await session.Connection.ExecuteAsBatchAsync(sql, parameters, tx, session.CancellationToken)
                        : await session.Connection.ExecuteAsync(sql, parameters, tx, session.CancellationToken);
                }
                catch (Exception e) when (session.Database.IsDatabaseError(e))
                {
                    throw session.Database.Translate(e, $"{ScriptId}: {Shorten(description)}");
                }
            },
            atomic: dialect.CanShareTransaction(sql),
            encode: n => n.ToString(CultureInfo.InvariantCulture),
            decode: d => d is null ? 0 : int.Parse(d, CultureInfo.InvariantCulture),
            alreadyDone: e => e is SwapException { InnerException: { } inner } && session.Database.IsAlreadyDone(inner));
    }

    private static bool IsOneStatement(string sql, Dialects.SqlDialect dialect)
    {
        try
        {
            return Discovery.SqlSplitter.Split(sql, dialect.Syntax, "statement").Count == 1;
        }
        catch (SwapException)
        {
            // Text Swap's splitter cannot read (an unclosed quote): the server says what is wrong.
            return false;
        }
    }

    /// <summary>Runs a query and returns its rows. Reads are not journaled: a resumed script reads again.</summary>
    public async Task<IReadOnlyList<Row>> QueryAsync(string sql, object? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        try
        {
            return await session.Connection.QueryAsync(sql, parameters, session.Transaction, session.CancellationToken);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{ScriptId}: {Shorten(sql)}");
        }
    }

    /// <summary>Runs a query and returns the first column of the first row, converted to <typeparamref name="T"/> (default when there is no row or it is NULL).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, object? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        object? value;
        try
        {
            value = await session.Connection.ScalarAsync(sql, parameters, session.Transaction, session.CancellationToken);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{ScriptId}: {Shorten(sql)}");
        }
        if (value is null)
            return default;
        if (value is T t)
            return t;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    internal static string Shorten(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length <= 120 ? oneLine : oneLine[..117] + "...";
    }
}
