using System.Collections.Concurrent;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>
/// The process's one cache of loaded models: one per model type, file and settings, whichever annotator versions or
/// pipelines use it (prod and a canary of another version share an encoder). The files' lengths and last writes are part
/// of the key, so a file replaced in place is loaded afresh rather than served from the old load. A model that fails to
/// load is not cached, so a fixed file can be retried.
/// </summary>
internal static class ModelCache
{
    private static readonly ConcurrentDictionary<(Type Model, object Key, string Files), Lazy<object>> Models = new();

    /// <param name="key">The settings the model is loaded with (a tuple: compared by value).</param>
    /// <param name="files">The files the model is loaded from (null or not a file: ignored).</param>
    public static TModel GetOrLoad<TModel>(object key, Func<TModel> load, params string?[] files) where TModel : class
    {
        var entry = (typeof(TModel), key, Stamp(files));
        var model = Models.GetOrAdd(entry, _ => new Lazy<object>(load));
        try
        {
            return (TModel)model.Value;
        }
        catch
        {
            Models.TryRemove(entry, out _);
            throw;
        }
    }

    /// <summary>The models of a type loaded so far.</summary>
    public static IEnumerable<TModel> Loaded<TModel>() => Models.Values.Where(m => m.IsValueCreated).Select(m => m.Value).OfType<TModel>();

    private static string Stamp(string?[] files) => string.Join("|", files.Select(f =>
        f is not null && new FileInfo(f) is { Exists: true } file ? $"{file.Length}@{file.LastWriteTimeUtc.Ticks}" : "-"));
}
