using System.Collections;
using System.Data.Common;
using Swap.MySql.Client.Internal.Sql;

namespace Swap.MySql.Client;

/// <summary>Parameters of a <see cref="MySqlCommand"/>; names match case-insensitively, with or without '@'.</summary>
public sealed class MySqlParameterCollection : DbParameterCollection
{
    private readonly List<MySqlParameter> _items = [];

    public override int Count => _items.Count;
    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    public MySqlParameter Add(MySqlParameter parameter)
    {
        _items.Add(parameter);
        return parameter;
    }

    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    /// <summary>Adds a parameter with a name and value.</summary>
    public MySqlParameter AddWithValue(string parameterName, object? value) => Add(new MySqlParameter(parameterName, value));

    public override void AddRange(Array values)
    {
        foreach (var value in values) Add(value);
    }

    public override void Clear() => _items.Clear();
    public override bool Contains(object value) => value is MySqlParameter p && _items.Contains(p);
    public override bool Contains(string value) => IndexOf(value) >= 0;
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();
    public override int IndexOf(object value) => value is MySqlParameter p ? _items.IndexOf(p) : -1;

    public override int IndexOf(string parameterName)
    {
        var name = MySqlParameter.NormalizeName(parameterName);
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].NormalizedName, name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));
    public override void Remove(object value) => _items.Remove(Cast(value));
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    public override void RemoveAt(string parameterName)
    {
        var index = IndexOf(parameterName);
        if (index >= 0) _items.RemoveAt(index);
    }

    public new MySqlParameter this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public new MySqlParameter this[string parameterName]
    {
        get => (MySqlParameter)GetParameter(parameterName);
        set => SetParameter(parameterName, value);
    }

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0 ? _items[index] : throw new ArgumentException($"Parameter '{parameterName}' not found.", nameof(parameterName));
    }

    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value)
    {
        var index = IndexOf(parameterName);
        if (index >= 0) _items[index] = Cast(value);
        else Add(value);
    }

    /// <summary>Value lookup used by the SQL rewriter; the last parameter with a name wins.</summary>
    internal Func<string, object?>? CreateLookup()
    {
        if (_items.Count == 0) return null;
        var map = new Dictionary<string, object?>(_items.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var p in _items) map[p.NormalizedName] = p.Value;
        return name => map.TryGetValue(name, out var value) ? value : MissingParameter.Instance;
    }

    private static MySqlParameter Cast(object value) =>
        value as MySqlParameter ?? throw new InvalidCastException($"Expected a MySqlParameter, got {value?.GetType().FullName ?? "null"}.");
}
