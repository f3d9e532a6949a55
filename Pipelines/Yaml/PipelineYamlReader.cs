using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Pipelines.Conditions;
using Semver;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Herald.Pipelines.Yaml;

/// <summary>
/// Reads one pipeline YAML file into a <see cref="PipelineDeclaration"/>, collecting every local problem
/// (syntax, missing or malformed fields) with its line and column. Cross-annotator checks (dependencies,
/// cycles, kinds) belong to <see cref="PipelineCompiler"/>.
/// </summary>
public sealed partial class PipelineYamlReader
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultRetries = 1;
    public const int MaxRetries = 10;

    private static readonly string[] TopLevelKeys = ["pipeline", "description", "input", "annotators"];
    private static readonly string[] InputKeys = ["start", "sample"];
    private static readonly string[] AnnotatorKeys = ["name", "version", "kind", "requires", "when", "timeout", "retries", "options"];

    private readonly string _source;
    private readonly List<PipelineProblem> _problems = [];

    private PipelineYamlReader(string source) => _source = source;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    internal static partial Regex NamePattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlMessagePrefix();

    /// <summary>Parses <paramref name="text"/>; returns null when the file is too broken to describe a pipeline.</summary>
    public static PipelineDeclaration? Read(string text, string source, string baseDirectory, List<PipelineProblem> problems)
    {
        var reader = new PipelineYamlReader(source);
        var declaration = reader.ReadDocument(text, baseDirectory);
        problems.AddRange(reader._problems);
        return declaration;
    }

    private PipelineDeclaration? ReadDocument(string text, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = YamlMessagePrefix().Replace((e.InnerException as YamlException ?? e).Message, "");
            _problems.Add(new(_source, (int)e.Start.Line, (int)e.Start.Column, $"YAML syntax error: {message}"));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _problems.Add(new(_source, 1, 1, "a pipeline file must be a YAML mapping with 'pipeline' and 'annotators'"));
            return null;
        }
        if (stream.Documents.Count > 1)
            Problem(stream.Documents[1].RootNode, "a pipeline file holds exactly one YAML document");

        CheckKeys(root, TopLevelKeys, "pipeline file");
        var tag = RequiredString(root, "pipeline", "the pipeline tag");
        if (tag is not null && !TagPattern().IsMatch(tag))
            Problem(Value(root, "pipeline")!, $"pipeline tag '{tag}' must be lower-case letters, digits, '.', '_' or '-'");

        var annotators = new List<AnnotatorDeclaration>();
        switch (Value(root, "annotators"))
        {
            case null:
                Problem(root, "missing 'annotators': a pipeline needs at least one annotator");
                break;
            case YamlSequenceNode { Children.Count: 0 } empty:
                Problem(empty, "'annotators' is empty: a pipeline needs at least one annotator");
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    if (item is YamlMappingNode map)
                    {
                        if (ReadAnnotator(map) is { } annotator) annotators.Add(annotator);
                    }
                    else
                    {
                        Problem(item, "each entry of 'annotators' must be a mapping with name, version and kind");
                    }
                }
                break;
            case var other:
                Problem(other, "'annotators' must be a list");
                break;
        }
        var description = Value(root, "description") is YamlScalarNode d ? d.Value : null;
        var input = ReadInput(root);
        return tag is null ? null : new PipelineDeclaration(tag, description, input, annotators, _source, baseDirectory, text);
    }

    /// <summary><c>input: { start: earliest | latest | 2026-01-01T00:00:00Z, sample: 0.05 }</c>; both optional.</summary>
    private PipelineInput ReadInput(YamlMappingNode root)
    {
        switch (Value(root, "input"))
        {
            case null:
                return PipelineInput.Everything;
            case YamlMappingNode map:
                CheckKeys(map, InputKeys, "input");
                var input = PipelineInput.Everything;
                if (Value(map, "start") is { } start)
                {
                    var text = (start as YamlScalarNode)?.Value;
                    if (string.Equals(text, "earliest", StringComparison.OrdinalIgnoreCase)) input = input with { Start = InputStart.Earliest };
                    else if (string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase)) input = input with { Start = InputStart.Latest };
                    else if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) && text!.Contains('-'))
                        input = input with { Start = InputStart.Time, StartTime = time };
                    else Problem(start, $"input: start must be earliest, latest or an ISO-8601 date-time such as 2026-01-01T00:00:00Z, not '{text}'");
                }
                if (Value(map, "sample") is { } sample)
                {
                    if (sample is YamlScalarNode { Value: { } text } && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share)
                        && share is > 0 and <= 1)
                        input = input with { Sample = share };
                    else Problem(sample, $"input: sample must be a share of documents greater than 0 and at most 1, such as 0.05, not '{(sample as YamlScalarNode)?.Value}'");
                }
                return input;
            case var other:
                Problem(other, "'input' must be a mapping such as { start: earliest, sample: 0.05 }");
                return PipelineInput.Everything;
        }
    }

    private AnnotatorDeclaration? ReadAnnotator(YamlMappingNode map)
    {
        CheckKeys(map, AnnotatorKeys, "annotator");
        var name = RequiredString(map, "name", "the annotator name");
        var label = name is null ? "annotator" : $"annotator '{name}'";
        if (name is not null && !NamePattern().IsMatch(name))
            Problem(Value(map, "name")!, $"{label}: names must start with a lower-case letter and hold only a-z, 0-9, '_' or '-'");

        SemVersion? version = null;
        if (RequiredString(map, "version", $"{label}: the version") is { } versionText
            && !SemVersion.TryParse(versionText, SemVersionStyles.Strict, out version))
            Problem(Value(map, "version")!, $"{label}: version '{versionText}' is not a SemVer 2.0 version such as 1.2.0");

        var kind = RequiredString(map, "kind", $"{label}: the kind");
        var requires = ReadRequires(map, label);
        var when = ReadWhen(map, label);
        var timeout = ReadTimeout(map, label);
        var retries = ReadRetries(map, label);
        var (options, optionsLocation) = ReadOptions(map, label);

        if (name is null || version is null || kind is null) return null;
        return new AnnotatorDeclaration(name, version, kind, requires, when, timeout, retries, options, Location(map), optionsLocation);
    }

    private List<DependencyDeclaration> ReadRequires(YamlMappingNode map, string label)
    {
        var requires = new List<DependencyDeclaration>();
        var node = Value(map, "requires");
        if (node is null) return requires;
        var items = node switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlScalarNode scalar => [scalar],
            _ => null,
        };
        if (items is null)
        {
            Problem(node, $"{label}: 'requires' must be a list like [embedding@^1.0, relevance@^1]");
            return requires;
        }
        foreach (var item in items)
        {
            if (item is not YamlScalarNode { Value: { } text })
            {
                Problem(item, $"{label}: each requirement must be a string like embedding@^1.0");
                continue;
            }
            var trimmed = text.Trim();
            var optional = trimmed.EndsWith('?');
            if (optional) trimmed = trimmed[..^1];
            var at = trimmed.IndexOf('@');
            var depName = (at < 0 ? trimmed : trimmed[..at]).Trim();
            var rangeText = at < 0 ? "*" : trimmed[(at + 1)..].Trim();
            if (!NamePattern().IsMatch(depName))
            {
                Problem(item, $"{label}: requirement '{text}' does not start with an annotator name");
                continue;
            }
            if (!SemVersionRange.TryParseNpm(rangeText, out var range))
            {
                Problem(item, $"{label}: requirement '{text}' has an invalid version range '{rangeText}' (use npm syntax: ^1.2, ~1.2.3, >=1.2 <2, 1.x)");
                continue;
            }
            requires.Add(new DependencyDeclaration(depName, rangeText, range, Location(item), optional));
        }
        return requires;
    }

    private Condition? ReadWhen(YamlMappingNode map, string label)
    {
        if (Value(map, "when") is not { } node) return null;
        if (node is not YamlScalarNode { Value: { Length: > 0 } text })
        {
            Problem(node, $"{label}: 'when' must be an expression such as relevance.label == \"relevant\"");
            return null;
        }
        try
        {
            return ConditionParser.Parse(text);
        }
        catch (ConditionSyntaxException e)
        {
            Problem(node, $"{label}: 'when' does not parse: {e.Message}");
            return null;
        }
    }

    private TimeSpan ReadTimeout(YamlMappingNode map, string label)
    {
        if (Value(map, "timeout") is not { } node) return DefaultTimeout;
        if (node is YamlScalarNode { Value: { } text } && Durations.TryParse(text, out var timeout)) return timeout;
        Problem(node, $"{label}: timeout must be a positive duration such as 250ms, 5s or 2m");
        return DefaultTimeout;
    }

    private int ReadRetries(YamlMappingNode map, string label)
    {
        if (Value(map, "retries") is not { } node) return DefaultRetries;
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, out var retries) && retries is >= 0 and <= MaxRetries) return retries;
        Problem(node, $"{label}: retries must be a whole number from 0 to {MaxRetries}");
        return DefaultRetries;
    }

    private (JsonObject Options, SourceLocation Location) ReadOptions(YamlMappingNode map, string label)
    {
        var node = Value(map, "options");
        if (node is null) return ([], Location(map));
        if (node is YamlMappingNode options) return ((JsonObject)YamlJson.ToJson(options)!, Location(options));
        Problem(node, $"{label}: 'options' must be a mapping of option names to values");
        return ([], Location(node));
    }

    private string? RequiredString(YamlMappingNode map, string key, string what)
    {
        switch (Value(map, key))
        {
            case null:
                Problem(map, $"{what} is missing ('{key}:')");
                return null;
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return value;
            case var other:
                Problem(other, $"{what} ('{key}:') must be a non-empty string");
                return null;
        }
    }

    private void CheckKeys(YamlMappingNode map, string[] allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name))
                Problem(key, $"unknown key '{name}' in {what} (expected one of: {string.Join(", ", allowed)})");
        }
    }

    private static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private SourceLocation Location(YamlNode node) => new(_source, (int)node.Start.Line, (int)node.Start.Column);

    private void Problem(YamlNode node, string message) => _problems.Add(Location(node).Problem(message));
}
