using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Engine;

/// <summary>
/// What a swap would do, for <c>plan</c>: the copy DDL, the capture triggers, the shape of the
/// chunk copy and verification queries, the cut-over and the clean-up, with the copy's schema
/// predicted from the script's changes (nothing is created).
/// </summary>
internal static class SwapPlanner
{
    public static void Plan(ScriptSession session, IReadOnlyList<TableUse> uses)
    {
        var engine = session.Database.TableEngine;
        var options = session.Run.Options.Swap;
        var online = uses.Any(u => u.Online);
        var timing = options.IndexTiming(engine);
        var specs = uses.Select(u => SwapSpecBuilder.Build(engine, u, Predict(engine, u), online && timing.AfterCopy) with { Captured = online }).ToList();
        foreach (var (use, spec) in uses.Zip(specs))
        {
            var changes = use.Model?.Changes ?? [];
            session.Plan.Add(new PlannedStep(
                $"preflight {use.Original.Name}: key ({string.Join(", ", spec.Key)}), ~{use.Original.EstimatedRows} rows; changes: {(changes.Count == 0 ? "none (SQL on the copy)" : string.Join("; ", changes))}",
                []));
            if (!use.CopyExists)
                session.Plan.Add(new PlannedStep($"create the copy {use.Names.Copy}", engine.CreateCopy(use.Original, use.Model, use.Names)));
            if (online)
                session.Plan.Add(new PlannedStep($"capture writes to {use.Original.Name}: triggers log each written key in the change log {use.Names.Log}, in the writer's transaction", engine.InstallCapture(spec)));
            session.Plan.Add(new PlannedStep(
                $"copy rows in key-range chunks ({options.InitialChunkSize} rows first, then sized to ~{Durations.Format(options.ChunkTargetTime ?? engine.DefaultChunkTime)} each); {(online ? "each chunk commits with its watermark" : "all in the script's one transaction (no capture: the application's writes wait for it)")}",
                [SwapQueries.Boundary(engine, spec, hasLower: true, options.InitialChunkSize), engine.CopyChunk(spec, KeyRange.Between(engine.Dialect, "o", spec.Key, true, true))]));
            if (engine.BuildIndexesPlan(spec) is { Count: > 0 } indexes)
                session.Plan.Add(new PlannedStep(
                    spec.KeyDeferred
                        ? $"build the key and {spec.DeferredIndexes.Count} secondary index(es) on the filled copy, then apply the change log kept since capture started"
                        : timing.AtFirstWrite
                            ? $"build {spec.DeferredIndexes.Count} secondary index(es) at the application's first write during the copy (on the rows copied so far, then kept current), or, if nobody writes, on the filled copy, each in one write transaction (the application's writes wait for each), then apply the change log"
                        : engine.OneWriterAtATime
                            ? $"build {spec.DeferredIndexes.Count} secondary index(es) on the filled copy, each in one write transaction (the application's writes wait for each), then apply the change log"
                            : $"build {spec.DeferredIndexes.Count} secondary index(es) on the filled copy, without blocking capture",
                    indexes));
            session.Plan.Add(new PlannedStep(
                "verify the copy against the original through the mapping, chunk by chunk",
                engine.FullOuterJoin
                    ? [SwapQueries.Compare(engine, spec, true, true)]
                    : [SwapQueries.MissingOrDifferent(engine, spec, true, true), SwapQueries.Extra(engine, spec, true, true)]));
        }
        session.Plan.Add(new PlannedStep(
            $"cut-over of {string.Join(", ", uses.Select(u => u.Original.Name))} (lock wait {Durations.Format(options.CutOverLockTimeout)} per attempt, up to {options.CutOverRetries} retries)",
            engine.CutOverPlan(specs, options)));
        foreach (var spec in specs)
        {
            var finish = (online ? engine.RemoveCapture(spec) : []).Concat(engine.AfterCutOver(spec)).ToList();
            if (finish.Count > 0)
                session.Plan.Add(new PlannedStep($"stop capture on {spec.Original.Name}", finish));
            session.Plan.Add(options.KeepOldTables
                ? new PlannedStep($"keep {spec.Names.Old} for a rollback window", [])
                : new PlannedStep($"drop the old table {spec.Names.Old}", engine.DropOld(spec)));
        }
    }

    /// <summary>The copy's schema as the script's changes would make it.</summary>
    internal static TableSchema Predict(TableEngine engine, TableUse use)
    {
        var original = use.Original;
        if (use.Model is not { } model)
            return original with { Name = use.Names.Copy };
        var d = engine.Dialect;
        var columns = model.Columns.Select(c => new ColumnSchema(
            c.Name,
            c.Type is null ? c.Original!.NativeType : d.TypeSql(c.Type),
            c.Nullable,
            c.DefaultSql,
            c.Original?.AutoIncrement ?? false,
            c.GeneratedExpression,
            c.Original?.Collation)).ToList();
        var indexes = model.Indexes.Select(i => new IndexSchema(
            i.Name,
            i.SchemaColumns(),
            i.Unique,
            i.Original?.IsConstraint ?? false,
            i.Original?.Predicate,
            i.Original?.Method)).ToList();
        return original with { Name = use.Names.Copy, Columns = columns, Indexes = indexes, PrimaryKey = model.PrimaryKey };
    }
}
