using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Annotators;

namespace Herald.Pipelines;

/// <summary>
/// The files an annotator's options name (models, vocabularies, label lists: any option value that is the path of a
/// file, relative to the pipeline's folder), by content. A model replaced in place is a different annotator: the
/// pipeline's version id changes with it, and a deployed name@version refuses it.
/// </summary>
public static class AnnotatorFiles
{
    // Hashing a large model takes a moment: once per file content, recognised by its length and last write.
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> Hashes = new();

    /// <summary>Each referenced file as "option path: sha256 prefix", in a stable order; empty when there is none.</summary>
    public static IReadOnlyList<string> Fingerprints(AnnotatorSpec spec) =>
        Paths(spec.Options)
            .Select(value => (value, path: Path.GetFullPath(value, spec.BaseDirectory)))
            .Where(p => File.Exists(p.path))
            .Select(p => $"{p.value}: {Hash(p.path)}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Paths(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Paths(p.Value)),
        JsonArray a => a.SelectMany(Paths),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s && s.IndexOfAny(Path.GetInvalidPathChars()) < 0 => [s],
        _ => [],
    };

    private static string Hash(string path)
    {
        var file = new FileInfo(path);
        return Hashes.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), key =>
        {
            using var stream = File.OpenRead(key.Path);
            return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        });
    }
}
