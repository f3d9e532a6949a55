namespace Herald.Pipelines;

/// <summary>Graph helpers over annotator names: cycle reporting and a stable topological order.</summary>
internal static class DependencyCycles
{
    /// <summary>Every elementary cycle found by depth-first search, each reported once, starting at its first-declared member.</summary>
    public static List<List<string>> Find(IEnumerable<string> names, Func<string, IReadOnlyList<string>> dependencies)
    {
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>();
        var state = new Dictionary<string, bool>(); // false = on the stack, true = finished
        var stack = new List<string>();
        var ordered = names.ToList();

        void Visit(string name)
        {
            state[name] = false;
            stack.Add(name);
            foreach (var dep in dependencies(name))
            {
                if (!state.TryGetValue(dep, out var finished))
                {
                    Visit(dep);
                }
                else if (!finished)
                {
                    var cycle = stack.Skip(stack.IndexOf(dep)).ToList();
                    // Rotate so the cycle starts at its earliest-declared member: one report per cycle.
                    var start = cycle.IndexOf(cycle.MinBy(ordered.IndexOf)!);
                    cycle = [.. cycle.Skip(start), .. cycle.Take(start)];
                    if (seen.Add(string.Join(">", cycle))) cycles.Add(cycle);
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[name] = true;
        }

        foreach (var name in ordered)
        {
            if (!state.ContainsKey(name)) Visit(name);
        }
        return cycles;
    }

    /// <summary>Kahn's algorithm, taking ready names in declaration order so the result is deterministic.</summary>
    public static List<string> TopologicalOrder(IEnumerable<string> names, Func<string, IReadOnlyList<string>> dependencies)
    {
        var pending = names.ToList();
        var done = new HashSet<string>();
        var order = new List<string>();
        while (pending.Count > 0)
        {
            var ready = pending.First(n => dependencies(n).All(done.Contains));
            pending.Remove(ready);
            done.Add(ready);
            order.Add(ready);
        }
        return order;
    }
}
