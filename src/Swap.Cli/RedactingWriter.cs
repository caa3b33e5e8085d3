using System.Text;
using Swap.Connections;

namespace Swap.Cli;

/// <summary>
/// A line-buffered writer that replaces known secrets (the database password) and any
/// <c>scheme://user:password@</c> in what passes through it. A second line of defence: messages
/// already use redacted URLs.
/// </summary>
internal sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder line = new();
    private readonly List<string> secrets = [];

    public override Encoding Encoding => inner.Encoding;

    /// <summary>True when this writes to the process's own stderr.</summary>
    public bool IsConsole => ReferenceEquals(inner, Console.Error);

    public void AddSecret(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 3 && !secrets.Contains(secret, StringComparer.Ordinal))
            secrets.Add(secret);
    }

    public override void Write(char value)
    {
        line.Append(value);
        if (value == '\n')
            FlushLine();
    }

    public override void Write(string? value)
    {
        if (value is null)
            return;
        line.Append(value);
        if (value.Contains('\n', StringComparison.Ordinal))
            FlushLine();
    }

    public override void Flush()
    {
        FlushLine();
        inner.Flush();
    }

    private void FlushLine()
    {
        if (line.Length == 0)
            return;
        inner.Write(Redact(line.ToString()));
        line.Clear();
    }

    public string Redact(string text)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
                text = text.Replace(escaped, "***", StringComparison.Ordinal);
        }
        return DatabaseUrl.Redact(text);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
