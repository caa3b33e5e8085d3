using Swap.Scenarios.Demo;
using Swap.Scenarios.Faults;
using Swap.Scenarios.Online;
using Swap.Scenarios.Online.Worker;

// demo-seed: the sample SQLite database of the Demo build target; demo-show: a table before and after;
// demo-write: the demo's application, writing while 'swap up' runs.
// faults: the fault-injection harness (SIGKILL, server-side kills, restarts, held locks) against an oracle.
// swap-worker: one Swap run in a process of its own (started by bench).
// bench (the default): the online schema change benchmark against the native and peer tools.
// report: summary.md and charts again from results.json files.
return args switch
{
    ["demo-seed", .. var rest] => await DemoSeedCommand.RunAsync(rest),
    ["demo-show", .. var rest] => await DemoShowCommand.RunAsync(rest),
    ["demo-write", .. var rest] => await DemoWriteCommand.RunAsync(rest),
    ["faults", .. var rest] => FaultsCommand.Run(rest),
    ["swap-worker", .. var rest] => await SwapWorker.RunAsync(rest),
    ["bench", .. var rest] => await BenchCommand.RunAsync(rest),
    ["report", .. var rest] => await ReportCommand.RunAsync(rest),
    _ => await BenchCommand.RunAsync(args),
};
