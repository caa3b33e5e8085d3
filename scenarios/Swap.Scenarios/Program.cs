Console.Error.WriteLine("The scenario runner is not built yet (issue #6).");
return 1;
