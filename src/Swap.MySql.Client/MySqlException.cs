using System.Data.Common;

namespace Swap.MySql.Client;

/// <summary>
/// An error reported by the server, by libmariadb or by this provider. Messages never contain
/// the connection password.
/// </summary>
public sealed class MySqlException : DbException
{
    public MySqlException(string message, int number, string? sqlState, Exception? innerException = null)
        : base(message, innerException)
    {
        Number = number;
        SqlStateValue = sqlState;
        HResult = number;
    }

    /// <summary>Server or client error number (see <see cref="MySqlErrorCodes"/>).</summary>
    public int Number { get; }

    /// <inheritdoc cref="Number"/>
    public override int ErrorCode => Number;

    private string? SqlStateValue { get; }

    /// <summary>Five-character SQLSTATE, or null when the error did not come from the server.</summary>
    public override string? SqlState => SqlStateValue;

    /// <inheritdoc cref="MySqlErrorCodes.IsTransient"/>
    public override bool IsTransient => MySqlErrorCodes.IsTransient(Number);

    /// <summary>True when the provider's command timeout expired and the query was killed.</summary>
    public bool IsTimeout => Number == MySqlErrorCodes.CommandTimeoutExpired;
}
