using System.Collections.Concurrent;

namespace Herald.Grains.Annotators;

/// <summary>
/// One reusable grain reference per annotator version. Resolving a reference is far from free in Orleans
/// (interface-type lookup, proxy creation), and the engine needs one for every annotator of every document.
/// </summary>
public sealed class AnnotatorGrainReferences(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, IAnnotatorGrain> _references = new(StringComparer.Ordinal);

    public IAnnotatorGrain Get(string annotatorId) =>
        _references.GetOrAdd(annotatorId, static (id, factory) => factory.GetGrain<IAnnotatorGrain>(id), grains);
}
