using System.Text;

namespace Herald.Bench;

/// <summary>
/// A layered DAG of no-op annotators, the same for Herald, its Kafka-only floor and the choreography: layers of one and
/// two nodes in turn, a node of a two-wide layer depending on the one node above it, a node of a one-wide layer on every
/// node above it (one or two). Five nodes give the shape the framework was first measured with: a; b, c; d; e.
/// </summary>
public sealed record NoopDag(IReadOnlyList<(string Name, string[] Requires)> Nodes)
{
    public static NoopDag Layered(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), "a DAG needs at least one node");
        var nodes = new List<(string, string[])>();
        string[] above = [];
        for (var width = 1; nodes.Count < size; width = 3 - width)
        {
            var layer = Enumerable.Range(0, Math.Min(width, size - nodes.Count)).Select(i => $"n{nodes.Count + i + 1}").ToArray();
            nodes.AddRange(layer.Select(name => (name, above)));
            above = layer;
        }
        return new NoopDag(nodes);
    }

    public int Size => Nodes.Count;

    /// <summary>The node whose annotation completes a document in the choreography: the last one.</summary>
    public string Last => Nodes[^1].Name;

    /// <summary>The pipeline file Herald runs.</summary>
    public string Yaml()
    {
        var yaml = new StringBuilder("pipeline: bench\nannotators:\n");
        foreach (var (name, requires) in Nodes)
            yaml.Append($"  - {{ name: {name}, version: 1.0.0, kind: noop, requires: [{string.Join(", ", requires.Select(r => $"{r}@^1"))}] }}\n");
        return yaml.ToString();
    }
}
