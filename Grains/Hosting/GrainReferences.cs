using System.Collections.Concurrent;

namespace Herald.Grains.Hosting;

/// <summary>
/// One reusable grain reference per string key. Resolving a reference is far from free in Orleans (interface-type
/// lookup by reflection, proxy creation), and every document needs one for each annotator and one for its input
/// checkpoint; the keys themselves are few (annotator versions, pipeline partitions).
/// </summary>
internal sealed class GrainReferences<TGrain>(IGrainFactory grains) where TGrain : IGrainWithStringKey
{
    private readonly ConcurrentDictionary<string, TGrain> _references = new(StringComparer.Ordinal);

    public TGrain Get(string key) =>
        _references.GetOrAdd(key, static (key, factory) => factory.GetGrain<TGrain>(key), grains);
}
