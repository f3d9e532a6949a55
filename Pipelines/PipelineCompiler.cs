using System.Security.Cryptography;
using System.Text;
using Herald.Annotators;
using Herald.Pipelines.Yaml;
using Semver;

namespace Herald.Pipelines;

/// <summary>
/// Turns pipeline YAML into <see cref="CompiledPipeline"/>s, or into the complete list of problems:
/// syntax, unknown kinds and option keys, duplicate names, missing or unsatisfiable dependencies,
/// cycles, <c>when</c> expressions that read undeclared dependencies, and annotators their kind cannot build.
/// </summary>
public sealed class PipelineCompiler(AnnotatorKindCatalog kinds)
{
    /// <summary>The kinds this compiler knows; <see cref="AnnotatorInstances.Activate"/> builds annotators with them.</summary>
    public AnnotatorKindCatalog Kinds => kinds;

    /// <summary>Compiles one definition; <paramref name="problems"/> receives everything wrong with it.</summary>
    public CompiledPipeline? Compile(string yaml, string source, string baseDirectory, List<PipelineProblem> problems)
    {
        var before = problems.Count;
        var declaration = PipelineYamlReader.Read(yaml, source, baseDirectory, problems);
        if (declaration is null) return null;

        var byName = new Dictionary<string, AnnotatorDeclaration>(StringComparer.Ordinal);
        foreach (var annotator in declaration.Annotators)
        {
            if (!byName.TryAdd(annotator.Name, annotator))
            {
                var first = byName[annotator.Name].Location;
                problems.Add(annotator.Location.Problem($"duplicate annotator name '{annotator.Name}' (first declared at line {first.Line})"));
            }
        }

        var resolved = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var annotator in byName.Values)
        {
            CheckKindAndOptions(annotator, problems);
            resolved[annotator.Name] = ResolveDependencies(annotator, byName, problems);
            CheckWhen(annotator, problems);
            CheckTimeout(annotator, problems);
        }
        foreach (var cycle in DependencyCycles.Find(byName.Keys, name => resolved[name]))
            problems.Add(byName[cycle[0]].Location.Problem($"dependency cycle: {string.Join(" -> ", cycle)} -> {cycle[0]}"));

        if (problems.Count > before) return null;
        return Build(declaration, resolved, problems);
    }

    /// <summary>Compiles a set of definitions that deploy together, adding the checks between them (one tag, one file).</summary>
    public IReadOnlyList<CompiledPipeline> CompileAll(IEnumerable<(string Yaml, string Source, string BaseDirectory)> files, List<PipelineProblem> problems)
    {
        var compiled = new List<CompiledPipeline>();
        foreach (var (yaml, source, baseDirectory) in files)
        {
            if (Compile(yaml, source, baseDirectory, problems) is not { } pipeline) continue;
            if (compiled.FirstOrDefault(p => p.Tag == pipeline.Tag) is { } twin)
                problems.Add(new(source, 1, 1, $"pipeline tag '{pipeline.Tag}' is already defined in {twin.Source}"));
            else
                compiled.Add(pipeline);
        }
        return compiled;
    }

    private void CheckKindAndOptions(AnnotatorDeclaration annotator, List<PipelineProblem> problems)
    {
        if (!kinds.TryGet(annotator.Kind, out var kind))
        {
            var known = string.Join(", ", kinds.Kinds.Select(k => k.Name));
            problems.Add(annotator.Location.Problem($"annotator '{annotator.Name}': unknown kind '{annotator.Kind}' (known kinds: {known})"));
            return;
        }
        foreach (var key in annotator.Options.Select(o => o.Key).Where(k => !kind.OptionKeys.Contains(k)))
        {
            var expected = kind.OptionKeys.Count == 0 ? "it takes no options" : "expected one of: " + string.Join(", ", kind.OptionKeys);
            problems.Add(annotator.OptionsLocation.Problem($"annotator '{annotator.Name}': unknown option '{key}' for kind '{kind.Name}' ({expected})"));
        }
    }

    private static List<string> ResolveDependencies(AnnotatorDeclaration annotator, Dictionary<string, AnnotatorDeclaration> byName, List<PipelineProblem> problems)
    {
        var resolved = new List<string>();
        foreach (var dependency in annotator.Requires)
        {
            if (dependency.Name == annotator.Name)
            {
                problems.Add(dependency.Location.Problem($"annotator '{annotator.Name}' requires itself"));
                continue;
            }
            // Names are unique within a pipeline, so the candidates are the versions present under that name.
            var candidates = byName.Values.Where(a => a.Name == dependency.Name).ToList();
            if (candidates.Count == 0)
            {
                problems.Add(dependency.Location.Problem($"annotator '{annotator.Name}' requires '{dependency.Name}', which is not in this pipeline"));
                continue;
            }
            var best = candidates.Where(c => dependency.Range.Contains(c.Version)).MaxBy(c => c.Version, SemVersion.PrecedenceComparer);
            if (best is null)
            {
                var present = string.Join(", ", candidates.Select(c => c.Version));
                problems.Add(dependency.Location.Problem($"annotator '{annotator.Name}' requires {dependency}, but the pipeline has {dependency.Name} {present}"));
                continue;
            }
            if (!resolved.Contains(best.Name)) resolved.Add(best.Name);
        }
        return resolved;
    }

    /// <summary>
    /// The longest call the cluster lets an annotator make (Orleans' response timeout in a silo): a longer timeout would be
    /// cut short there, so it is rejected. Null where no cluster applies (validating files offline).
    /// </summary>
    public TimeSpan? MaxTimeout { get; init; }

    private void CheckTimeout(AnnotatorDeclaration annotator, List<PipelineProblem> problems)
    {
        if (MaxTimeout is { } max && annotator.Timeout >= max)
            problems.Add(annotator.Location.Problem(
                $"annotator '{annotator.Name}': timeout {Durations.Format(annotator.Timeout)} is not below the cluster's call limit of {Durations.Format(max)} (Orleans:Messaging:ResponseTimeout): lower the timeout or raise that limit"));
    }

    private static void CheckWhen(AnnotatorDeclaration annotator, List<PipelineProblem> problems)
    {
        if (annotator.When is null) return;
        foreach (var reference in annotator.When.References.Where(r => annotator.Requires.All(d => d.Name != r)))
            problems.Add(annotator.Location.Problem(
                $"annotator '{annotator.Name}': 'when' reads '{reference}', which is not in its 'requires'"));
    }

    private CompiledPipeline? Build(PipelineDeclaration declaration, Dictionary<string, List<string>> resolved, List<PipelineProblem> problems)
    {
        var order = DependencyCycles.TopologicalOrder(declaration.Annotators.Select(a => a.Name), name => resolved[name]);
        var index = order.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var nodes = new List<PipelineNode>();
        foreach (var name in order)
        {
            var declared = declaration.Annotators.First(a => a.Name == name);
            var spec = new AnnotatorSpec(declared.Name, declared.Version.ToString(), declared.Kind, declared.Options, declaration.BaseDirectory);
            try
            {
                kinds.TryGet(declared.Kind, out var kind);
                // Pure: options and files are checked, nothing is loaded or pinned (that is AnnotatorInstances.Activate).
                kind.Check(spec);
            }
            catch (AnnotatorConfigurationException e)
            {
                problems.Add(declared.OptionsLocation.Problem($"annotator '{declared.Name}' ({declared.Kind}): {e.Message}"));
                continue;
            }
            var dependencies = resolved[name].Select(d => index[d]).ToArray();
            // Optional only if every requirement naming it is: a plain requirement elsewhere keeps its gating.
            var optional = resolved[name].Select(d => declared.Requires.Where(r => r.Name == d).All(r => r.Optional)).ToArray();
            nodes.Add(new PipelineNode(nodes.Count, spec, dependencies, declared.When, declared.Timeout, declared.Retries, optional, declared.OptionsLocation));
        }
        if (nodes.Count != order.Count) return null;
        return new CompiledPipeline(declaration.Tag, VersionIdOf(declaration.Text, nodes), declaration.Description, declaration.Input, declaration.Source, declaration.Text, nodes);
    }

    /// <summary>The definition and the contents of the files it names: a model replaced in place makes a new version.</summary>
    private static string VersionIdOf(string text, IEnumerable<PipelineNode> nodes)
    {
        var files = nodes.SelectMany(n => AnnotatorFiles.Fingerprints(n.Spec).Select(f => $"{n.Name}@{n.Version} {f}")).ToList();
        var identity = text.ReplaceLineEndings("\n") + (files.Count == 0 ? "" : "\n" + string.Join("\n", files));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
    }
}
