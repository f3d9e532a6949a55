using System.Collections.Concurrent;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>
/// One loaded model per file and settings per process, whichever annotator versions or pipelines use it. The files'
/// lengths and last writes are part of the key, so a file replaced in place is loaded afresh rather than served from
/// the old load. A model that fails to load is not cached, so a fixed file can be retried.
/// </summary>
public sealed class ModelCache<TKey, TModel> where TKey : notnull
{
    private readonly ConcurrentDictionary<(TKey Key, string Files), Lazy<TModel>> _models = new();

    /// <param name="files">The files the model is loaded from (null or not a file: ignored).</param>
    public TModel GetOrLoad(TKey key, Func<TModel> load, params string?[] files)
    {
        var entry = (key, Stamp(files));
        var model = _models.GetOrAdd(entry, _ => new Lazy<TModel>(load));
        try
        {
            return model.Value;
        }
        catch
        {
            _models.TryRemove(entry, out _);
            throw;
        }
    }

    /// <summary>The models loaded so far.</summary>
    public IEnumerable<TModel> Loaded => _models.Values.Where(m => m.IsValueCreated).Select(m => m.Value);

    private static string Stamp(string?[] files) => string.Join("|", files.Select(f =>
        f is not null && new FileInfo(f) is { Exists: true } file ? $"{file.Length}@{file.LastWriteTimeUtc.Ticks}" : "-"));
}
