using Swap.Engine;
using Swap.Engine.Revert;
using Swap.Instant;

namespace Swap.Tests.Engine.Approval;

/// <summary>
/// Every statement a dialect generates for one case, in the order a swap runs them, without a
/// server: the specs are built as <c>plan</c> builds them (<see cref="SwapPlanner.Predict"/>), the
/// revert specs as the revert window builds them.
/// </summary>
internal static class CaseSql
{
    private const int Keys = 3;
    private const int Runs = 2;
    private const int LogBatch = 100;
    private const int RevertChunk = 20_000;

    private static readonly OnlineSwapOptions Options = new();

    public static string Render(ApprovalDialect dialect, TableCase @case)
    {
        var engine = dialect.Engine;
        var original = dialect.Schema(@case.Table);
        var names = SwapNames.For(original.Name, engine.Dialect.MaxIdentifierLength);
        var model = new DbTable(original, names.Copy, engine.Dialect, readOnly: false);
        @case.Change(model);
        var use = new TableUse(original, names, model, copyExists: false) { Online = true };
        var forward = SwapSpecBuilder.Build(engine, use, SwapPlanner.Predict(engine, use)) with { Captured = true };
        return SqlDocument.Write(@case.Revert ? Reverse(dialect, use, forward) : Forward(engine, model, forward));
    }

    private static IEnumerable<(string, IReadOnlyList<string>)> Forward(TableEngine engine, DbTable model, SwapSpec spec)
    {
        var plan = engine.Dialect.PlanChange(TableDiff.Of(model, engine.Dialect));
        yield return ("Planner", [$"-- {ChangePlan.Name(plan.Method)}: {plan.Reason}", .. plan.Statements]);
        yield return ("Refusals", engine.Refusals(spec.Original, model).Select(r => "-- " + r).ToList());
        yield return ("CreateCopy", engine.CreateCopy(spec.Original, model, spec.Names));
        yield return ("InstallCapture", engine.InstallCapture(spec));
        yield return ("Boundary(first)", [SwapQueries.Boundary(engine, spec, hasLower: false, Options.InitialChunkSize)]);
        yield return ("Boundary(next)", [SwapQueries.Boundary(engine, spec, hasLower: true, Options.InitialChunkSize)]);
        yield return ("CopyChunk(first)", [engine.CopyChunk(spec, KeyRange.Between(engine.Dialect, "o", spec.Key, hasLower: false, hasUpper: true))]);
        yield return ("CopyChunk(middle)", [engine.CopyChunk(spec, KeyRange.Between(engine.Dialect, "o", spec.Key, hasLower: true, hasUpper: true))]);
        yield return ("CopyChunk(last)", [engine.CopyChunk(spec, KeyRange.Between(engine.Dialect, "o", spec.Key, hasLower: true, hasUpper: false))]);
        yield return ("BuildIndexesPlan", engine.BuildIndexesPlan(spec));
        foreach (var group in Apply(engine, spec))
            yield return group;
        foreach (var group in Verify(engine, spec))
            yield return group;
        foreach (var group in Orphans(engine, spec))
            yield return group;
        yield return ("DefinitionQueries", engine.DefinitionQueries(spec.Original.Name));
        yield return ("CutOverPlan", engine.CutOverPlan([spec], Options));
        yield return ("RemoveCapture", engine.RemoveCapture(spec));
        yield return ("AfterCutOver", engine.AfterCutOver(spec));
        yield return ("DropOld", engine.DropOld(spec));
    }

    /// <summary>
    /// A revert window on the forward swap: the reverse capture installed on the copy before the
    /// cut-over, the old table detached; then the revert, from the swapped-in table (under the
    /// table's name) back into the old one (as the catalog shows it after the forward cut-over).
    /// </summary>
    private static IEnumerable<(string, IReadOnlyList<string>)> Reverse(ApprovalDialect dialect, TableUse use, SwapSpec forward)
    {
        var engine = dialect.Engine;
        if (ReverseMapping.Unsupported(engine) is { } why)
        {
            yield return ("RevertWindow", ["-- refused: " + why]);
            yield break;
        }
        yield return ("RevertRefusals", ReverseMapping.Refusals(engine, use, forward, ScriptKind.CSharp).Select(r => "-- " + r).ToList());
        var table = ReverseMapping.Describe(use, forward);
        var old = use.Original with { Name = use.Names.Old };
        var atOpening = ReverseMapping.Build(engine, table, forward.Copy, old);
        yield return ("InstallCapture(window)", engine.InstallCapture(atOpening));
        yield return ("DetachOld", engine.DetachOld(forward));
        var spec = ReverseMapping.Build(engine, table, forward.Copy with { Name = use.Original.Name }, dialect.AfterForwardCutOver(old));
        foreach (var group in Apply(engine, spec))
            yield return group;
        // RevertVerifier leaves out the columns the old table keeps on its own.
        var verified = spec with { Mapping = spec.Mapping.Where(m => !spec.InsertOnly.Contains(m.CopyColumn)).ToList() };
        yield return ("Boundary(next)", [SwapQueries.Boundary(engine, verified, hasLower: true, RevertChunk)]);
        foreach (var group in Verify(engine, verified))
            yield return group;
        yield return ("CutOverPlan", engine.CutOverPlan([spec], Options));
        yield return ("RemoveCapture", engine.RemoveCapture(spec));
        yield return ("AfterCutOver", engine.AfterCutOver(spec));
        yield return ("DropOld", engine.DropOld(spec));
    }

    /// <summary>One applier batch of <see cref="ChangeLogApplier"/>: read the log, re-sync the keys, delete the log rows read.</summary>
    private static IEnumerable<(string, IReadOnlyList<string>)> Apply(TableEngine engine, SwapSpec spec)
    {
        yield return ($"ReadLog({LogBatch})", [SwapQueries.ReadLog(engine, spec, LogBatch)]);
        if (spec.UpdateInPlace)
        {
            // The keys gone from the original are looked up with a plain read (a DELETE reading the original would lock its rows on InnoDB), then deleted.
            yield return ($"KeysPresent(original, {Keys})", [SwapQueries.KeysPresent(engine, spec, inOriginal: true, Keys, "v")]);
            yield return ($"DeleteFromCopy({Keys})", [SwapQueries.DeleteFromCopy(engine, spec, Keys)]);
            yield return ($"UpsertRows({Keys})", [engine.UpsertRows(spec, Keys)]);
        }
        else if (spec.UniqueColumnsBesideKey() is { } uniques
            && engine.ResyncInPlace(spec, Keys, new HashSet<string>(uniques, StringComparer.OrdinalIgnoreCase)) is { } inPlace)
        {
            // Rows in the copy whose unique values the original still gives them are updated in place; the rest deleted and inserted.
            yield return ($"KeysWithValues(copy, {Keys})", [SwapQueries.KeysWithValues(engine, spec, inOriginal: false, Keys, "c", uniques)]);
            yield return ($"KeysWithValues(original, {Keys})", [SwapQueries.KeysWithValues(engine, spec, inOriginal: true, Keys, "o", uniques)]);
            yield return ($"DeleteFromCopy({Keys})", [SwapQueries.DeleteFromCopy(engine, spec, Keys)]);
            yield return ($"ResyncInPlace({Keys})", [inPlace]);
            yield return ($"ApplyRows({Keys})", [engine.ApplyRows(spec, Keys)]);
        }
        else
        {
            yield return ($"DeleteFromCopy({Keys})", [SwapQueries.DeleteFromCopy(engine, spec, Keys)]);
            yield return ($"ApplyRows({Keys})", [engine.ApplyRows(spec, Keys)]);
        }
        yield return ($"DeleteLog({Runs})", [SwapQueries.DeleteLog(engine, spec, Runs)]);
    }

    /// <summary>The verifier's check of one chunk (lower, upper]: one FULL OUTER JOIN, or its two halves.</summary>
    private static IEnumerable<(string, IReadOnlyList<string>)> Verify(TableEngine engine, SwapSpec spec)
    {
        if (engine.FullOuterJoin)
        {
            yield return ("Compare", [SwapQueries.Compare(engine, spec, hasLower: true, hasUpper: true)]);
            yield break;
        }
        yield return ("MissingOrDifferent", [SwapQueries.MissingOrDifferent(engine, spec, hasLower: true, hasUpper: true)]);
        yield return ("Extra", [SwapQueries.Extra(engine, spec, hasLower: true, hasUpper: true)]);
    }

    /// <summary>Where the copy gets new foreign keys only after the cut-over: the look for a row without a parent before it.</summary>
    private static IEnumerable<(string, IReadOnlyList<string>)> Orphans(TableEngine engine, SwapSpec spec) =>
        engine.CopyChecksNewForeignKeys ? [] : spec.NewForeignKeys.Select(f => ($"FirstOrphan({f.Name})", (IReadOnlyList<string>)[SwapQueries.FirstOrphan(engine, spec, f)]));
}
