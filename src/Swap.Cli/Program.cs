namespace Swap.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("swap: not built yet");
        return 1;
    }
}
