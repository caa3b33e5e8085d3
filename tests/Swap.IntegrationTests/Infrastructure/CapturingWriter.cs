using System.Text;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>A text writer that another thread may read while the CLI writes to it.</summary>
public sealed class CapturingWriter : TextWriter
{
    private readonly StringBuilder text = new();
    private readonly Lock gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (gate)
                return text.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (gate)
            text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (gate)
            text.Append(value);
    }
}
