using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Swap.MySql.Client.Internal;

namespace Swap.MySql.Client;

/// <summary>
/// Builds and parses MySQL connection strings (<c>Server=...;Port=...;User ID=...;Password=...;Database=...</c>).
/// Keywords are case-insensitive and accept the usual synonyms (Host, Uid, Pwd, ...). A
/// <c>Server</c> value starting with <c>/</c> is a Unix socket path. <see cref="ToString"/> never
/// includes the password.
/// </summary>
public sealed partial class MySqlConnectionStringBuilder : DbConnectionStringBuilder
{
    public MySqlConnectionStringBuilder() { }

    public MySqlConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString ?? "";

    public string Server { get => GetString(ConnectionOption.Server); set => Set(ConnectionOption.Server, value); }
    public uint Port { get => Get<uint>(ConnectionOption.Port); set => Set(ConnectionOption.Port, value); }
    public string UserID { get => GetString(ConnectionOption.UserId); set => Set(ConnectionOption.UserId, value); }
    public string Password { get => GetString(ConnectionOption.Password); set => Set(ConnectionOption.Password, value); }
    public string Database { get => GetString(ConnectionOption.Database); set => Set(ConnectionOption.Database, value); }
    /// <summary>Unix socket path; when set (or when <see cref="Server"/> starts with '/'), TCP is not used.</summary>
    public string UnixSocket { get => GetString(ConnectionOption.UnixSocket); set => Set(ConnectionOption.UnixSocket, value); }
    public MySqlSslMode SslMode { get => Get<MySqlSslMode>(ConnectionOption.SslMode); set => Set(ConnectionOption.SslMode, value); }
    /// <summary>CA certificate file used with <see cref="MySqlSslMode.VerifyCA"/> and <see cref="MySqlSslMode.VerifyFull"/>.</summary>
    public string SslCa { get => GetString(ConnectionOption.SslCa); set => Set(ConnectionOption.SslCa, value); }
    /// <summary>Seconds to wait while connecting (0 = library default).</summary>
    public uint ConnectionTimeout { get => Get<uint>(ConnectionOption.ConnectionTimeout); set => Set(ConnectionOption.ConnectionTimeout, value); }
    /// <summary>Default <see cref="MySqlCommand.CommandTimeout"/> in seconds (0 = none).</summary>
    public uint DefaultCommandTimeout { get => Get<uint>(ConnectionOption.DefaultCommandTimeout); set => Set(ConnectionOption.DefaultCommandTimeout, value); }
    /// <summary>Always utf8mb4; other values are rejected because parameter escaping assumes it.</summary>
    public string CharacterSet { get => GetString(ConnectionOption.CharacterSet); set => Set(ConnectionOption.CharacterSet, value); }
    /// <summary>Leave unknown <c>@name</c> tokens in SQL as user variables instead of failing.</summary>
    public bool AllowUserVariables { get => Get<bool>(ConnectionOption.AllowUserVariables); set => Set(ConnectionOption.AllowUserVariables, value); }
    /// <summary>Report changed rows instead of matched rows for UPDATE (default false, as MySqlConnector).</summary>
    public bool UseAffectedRows { get => Get<bool>(ConnectionOption.UseAffectedRows); set => Set(ConnectionOption.UseAffectedRows, value); }
    /// <summary>Return signed TINYINT(1) columns as <see cref="bool"/> (default true, as MySqlConnector).</summary>
    public bool TreatTinyAsBoolean { get => Get<bool>(ConnectionOption.TreatTinyAsBoolean); set => Set(ConnectionOption.TreatTinyAsBoolean, value); }
    /// <summary>Keep the password in <see cref="MySqlConnection.ConnectionString"/> after opening (default false).</summary>
    public bool PersistSecurityInfo { get => Get<bool>(ConnectionOption.PersistSecurityInfo); set => Set(ConnectionOption.PersistSecurityInfo, value); }

    [AllowNull]
    public override object this[string keyword]
    {
        get => TryGetValue(keyword, out var value) ? value : throw new ArgumentException($"Connection string keyword '{keyword}' is not supported.", nameof(keyword));
        set
        {
            var option = Require(keyword);
            if (value is null) base.Remove(option.Name);
            else base[option.Name] = Normalize(option, value);
        }
    }

    public override bool ContainsKey(string keyword) => ConnectionOption.Find(keyword) is { } o && base.ContainsKey(o.Name);

    public override bool Remove(string keyword) => ConnectionOption.Find(keyword) is { } o && base.Remove(o.Name);

    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
    {
        var option = ConnectionOption.Find(keyword);
        if (option is null) { value = null; return false; }
        if (base.TryGetValue(option.Name, out value)) return true;
        value = option.Default;
        return true;
    }

    /// <summary>The connection string with the password removed.</summary>
    public override string ToString() => WithoutPassword().ConnectionString;

    internal MySqlConnectionStringBuilder WithoutPassword()
    {
        var copy = new MySqlConnectionStringBuilder(ConnectionString);
        copy.Remove(ConnectionOption.Password.Name);
        return copy;
    }

    private static ConnectionOption Require(string keyword) =>
        ConnectionOption.Find(keyword) ?? throw new ArgumentException($"Connection string keyword '{keyword}' is not supported.", nameof(keyword));

    private string GetString(ConnectionOption option) => (string)Normalize(option, this[option.Name]);

    private T Get<T>(ConnectionOption option) => (T)Normalize(option, this[option.Name]);

    private void Set(ConnectionOption option, object value) => this[option.Name] = value;

    private static object Normalize(ConnectionOption option, object value)
    {
        var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        try
        {
            return option.Default switch
            {
                uint => value is uint u ? u : uint.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture),
                bool => value is bool b ? b : ParseBool(text),
                MySqlSslMode => value is MySqlSslMode m ? m : ParseSslMode(text),
                _ => option == ConnectionOption.CharacterSet ? CheckCharset(text) : text,
            };
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Invalid value for connection string keyword '{option.Name}'.", option.Name, ex);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"Invalid value for connection string keyword '{option.Name}'.", option.Name, ex);
        }
    }
}
