using System.Collections.Concurrent;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>
/// One loaded model per file and settings per process, whichever annotator versions or pipelines use it. A model that
/// fails to load is not cached, so a fixed file can be retried.
/// </summary>
public sealed class ModelCache<TKey, TModel> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<TModel>> _models = new();

    public TModel GetOrLoad(TKey key, Func<TModel> load)
    {
        var model = _models.GetOrAdd(key, _ => new Lazy<TModel>(load));
        try
        {
            return model.Value;
        }
        catch
        {
            _models.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>The models loaded so far.</summary>
    public IEnumerable<TModel> Loaded => _models.Values.Where(m => m.IsValueCreated).Select(m => m.Value);
}
