using Swap.Scenarios.ClientBench;

if (args.Length > 0 && args[0] == "client-bench") return ClientBenchCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "faults") return Swap.Scenarios.Faults.FaultsCommand.Run(args[1..]);

Console.Error.WriteLine("The scenario runner is not built yet (issue #6).");
return 1;
