using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Swap.Discovery;

/// <summary>
/// Compiled C# migrations on disk, keyed by a checksum of every source file (path and text), of
/// the Swap assembly that compiled them (its module version id changes with any Swap build) and of
/// the runtime. Any change in a script, a file added or removed, or another Swap version makes a
/// new key, so a stale entry is never used; an unchanged folder loads the compiled assembly
/// without starting the compiler. Entries are written to a temporary file and renamed, so
/// processes sharing the folder never read half an entry.
/// </summary>
internal static class CompiledScriptCache
{
    /// <summary>The environment variable naming the cache folder; <c>off</c> turns the cache off.</summary>
    public const string FolderVariable = "SWAP_CACHE_DIR";

    /// <summary>
    /// The cache folder: <c>$SWAP_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/swap/compiled</c>, else
    /// <c>~/.cache/swap/compiled</c>; null when turned off or no home folder is known.
    /// </summary>
    public static string? Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(FolderVariable);
            if (configured is { Length: > 0 })
                return configured.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : configured;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (xdg is { Length: > 0 })
                return Path.Combine(xdg, "swap", "compiled");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home.Length > 0 ? Path.Combine(home, ".cache", "swap", "compiled") : null;
        }
    }

    public static string Key(IReadOnlyList<(string Path, string Text)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        Add(typeof(Migration).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(Environment.Version.ToString());
        foreach (var (path, text) in files)
        {
            Add(path);
            Add(text);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The scripts of a cached compilation, or null when there is none (or it cannot be read).</summary>
    public static IReadOnlyList<CompiledScript>? TryLoad(string folder, string key)
    {
        var dll = Path.Combine(folder, key + ".dll");
        var index = Path.Combine(folder, key + ".json");
        if (!File.Exists(dll) || !File.Exists(index))
            return null;
        try
        {
            var entries = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(index));
            if (entries is null)
                return null;
            using var stream = new MemoryStream(File.ReadAllBytes(dll));
            // Its own context, so the same entry can load again in one process; Swap and the
            // framework resolve from the default context, so the scripts derive from this Migration.
            var assembly = new AssemblyLoadContext("swap-scripts-" + key).LoadFromStream(stream);
            File.SetLastWriteTimeUtc(index, DateTime.UtcNow);
            return entries.Select(e => new CompiledScript(assembly.GetType(e.Type, throwOnError: true)!, e.Path, e.ClassText)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or BadImageFormatException or TypeLoadException or FileLoadException)
        {
            return null;
        }
    }

    /// <summary>Stores a compilation; a cache that cannot be written is skipped, never an error.</summary>
    public static void Store(string folder, string key, byte[] image, IReadOnlyList<CompiledScript> scripts)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var entries = scripts.Select(s => new Entry(s.Type.FullName!, s.Path, s.ClassText)).ToList();
            Write(Path.Combine(folder, key + ".dll"), image);
            // The index goes last: an entry counts only once both files are there.
            Write(Path.Combine(folder, key + ".json"), Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entries)));
            Prune(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Entries unused for 30 days go (a load touches its index), so the folder does not grow without end.</summary>
    private static void Prune(string folder)
    {
        var cutoff = DateTime.UtcNow - TimeSpan.FromDays(30);
        foreach (var index in Directory.EnumerateFiles(folder, "*.json"))
        {
            if (File.GetLastWriteTimeUtc(index) >= cutoff)
                continue;
            File.Delete(index);
            File.Delete(Path.ChangeExtension(index, ".dll"));
        }
    }

    private static void Write(string path, byte[] content)
    {
        var temp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private sealed record Entry(string Type, string Path, string ClassText);
}
