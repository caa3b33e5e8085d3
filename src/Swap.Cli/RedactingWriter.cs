using System.Text;
using System.Text.RegularExpressions;

namespace Swap.Cli;

/// <summary>
/// A line-buffered writer that hides secrets where they stand as secrets: the password part of any
/// <c>scheme://user:password@</c>, the <c>Password=</c>/<c>Pwd=</c> value of a connection string,
/// and whole values registered with <see cref="AddSecretValue"/> (the raw <c>--db</c> text). It never
/// replaces a password that merely equals other text (a password <c>swap</c> leaves
/// <c>swap_history</c> alone), so tables, ids and JSON pass through exactly.
/// A second line of defence: messages already use redacted URLs.
/// </summary>
internal sealed partial class RedactingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder line = new();
    private readonly List<(string Value, string Shown)> secretValues = [];

    public override Encoding Encoding => inner.Encoding;

    /// <summary>True when this writes to the process's own stderr.</summary>
    public bool IsConsole => ReferenceEquals(inner, Console.Error);

    /// <summary>
    /// Registers a whole value that is secret as given (such as the raw <c>--db</c> URL, which may
    /// not parse as a URL where a password holds a space or a quote): wherever it appears in full,
    /// <paramref name="shown"/> is written instead.
    /// </summary>
    public void AddSecretValue(string? value, string shown)
    {
        if (!string.IsNullOrEmpty(value) && value != shown && !secretValues.Exists(s => s.Value == value))
            secretValues.Add((value, shown));
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
        foreach (var (value, shown) in secretValues)
            text = text.Replace(value, shown, StringComparison.Ordinal);
        return ConnectionStringPassword().Replace(DatabaseUrl.Redact(text), "$1$2***");
    }

    /// <summary>A connection string's password: <c>Password=...</c> or <c>Pwd=...</c> after a <c>;</c> (or at the start of a line), or followed by one.</summary>
    [GeneratedRegex(@"((?:^|;\s*)(?:Password|Pwd)\s*=\s*)(?:'[^']*'|""[^""]*""|[^;\r\n]*)|(\b(?:Password|Pwd)=)[^;\s'""]*(?=;)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
