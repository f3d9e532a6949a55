using Herald.Annotators;
using Herald.Annotators.Onnx;
using Herald.Pipelines;

namespace Herald.Tests.Pipelines;

public sealed class PipelineValidationTests
{
    private static List<string> Problems(string yaml)
    {
        var problems = new List<PipelineProblem>();
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog(BuiltInKinds.All));
        compiler.Compile(yaml, "test.yaml", Path.GetTempPath(), problems);
        return problems.Select(p => p.ToString()).ToList();
    }

    [Fact]
    public void The_shipped_news_pipeline_is_valid()
    {
        var problems = new List<PipelineProblem>();
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog([.. BuiltInKinds.All, .. ModelKinds.All]));
        var pipelines = compiler.CompileAll(PipelineFiles.Read(Path.Combine(AppContext.BaseDirectory, "pipelines")), problems);

        Assert.Empty(problems);
        var news = Assert.Single(pipelines, p => p.Tag == "news");
        Assert.Equal("signal", news.Nodes[^1].Name);
    }

    [Fact]
    public void Yaml_syntax_errors_give_line_and_column()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - name: money
                version: [1.0.0
            """);
        Assert.Equal(["test.yaml:5:1: YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'."], problems);
    }

    [Fact]
    public void A_pipeline_says_where_its_input_starts_and_which_share_it_takes()
    {
        var problems = new List<PipelineProblem>();
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog(BuiltInKinds.All));
        var canary = compiler.Compile("""
            pipeline: news-canary
            input: { start: earliest, sample: 0.05 }
            annotators:
              - { name: money, version: 1.0.0, kind: money }
            """, "test.yaml", Path.GetTempPath(), problems)!;
        var dated = compiler.Compile("""
            pipeline: dated
            input: { start: 2026-01-01T00:00:00Z }
            annotators:
              - { name: money, version: 1.0.0, kind: money }
            """, "test.yaml", Path.GetTempPath(), problems)!;

        Assert.Empty(problems);
        Assert.Equal(new PipelineInput(InputStart.Earliest, null, 0.05), canary.Input);
        Assert.Equal(new PipelineInput(InputStart.Time, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 1.0), dated.Input);
        // A stable share: the same ids every time, close to the share asked for.
        var ids = Enumerable.Range(0, 20_000).Select(i => $"doc-{i}").ToList();
        Assert.InRange(ids.Count(canary.Input.Takes), 850, 1150);
        Assert.Equal(ids.Where(canary.Input.Takes), ids.Where(new PipelineInput(null, null, 0.05).Takes));
        Assert.All(ids, id => Assert.True(dated.Input.Takes(id)));
    }

    [Theory]
    [InlineData("input: { start: yesterday }", "test.yaml:2:17: input: start must be earliest, latest or an ISO-8601 date-time such as 2026-01-01T00:00:00Z, not 'yesterday'")]
    [InlineData("input: { sample: 1.5 }", "test.yaml:2:18: input: sample must be a share of documents greater than 0 and at most 1, such as 0.05, not '1.5'")]
    [InlineData("input: { sample: 0 }", "test.yaml:2:18: input: sample must be a share of documents greater than 0 and at most 1, such as 0.05, not '0'")]
    [InlineData("input: { from: earliest }", "test.yaml:2:10: unknown key 'from' in input (expected one of: start, sample)")]
    [InlineData("input: earliest", "test.yaml:2:8: 'input' must be a mapping such as { start: earliest, sample: 0.05 }")]
    public void A_bad_input_section_is_refused_with_where_and_why(string input, string problem)
    {
        var problems = Problems($"pipeline: news\n{input}\nannotators:\n  - {{ name: money, version: 1.0.0, kind: money }}\n");
        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Unknown_kind_lists_the_known_kinds()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: money, version: 1.0.0, kind: moneyz }
            """);
        Assert.Equal(["test.yaml:3:5: annotator 'money': unknown kind 'moneyz' (known kinds: dates, entities, keywords, money, signal)"], problems);
    }

    [Fact]
    public void A_timeout_the_cluster_would_cut_short_is_rejected()
    {
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog(BuiltInKinds.All)) { MaxTimeout = TimeSpan.FromSeconds(30) };
        var problems = new List<PipelineProblem>();

        compiler.Compile("""
            pipeline: news
            annotators:
              - { name: money, version: 1.0.0, kind: money, timeout: 45s }
              - { name: dates, version: 1.0.0, kind: dates, timeout: 29s }
            """, "test.yaml", "/tmp", problems);

        Assert.Equal(["test.yaml:3:5: annotator 'money': timeout 45s is not below the cluster's call limit of 30s (Orleans:Messaging:ResponseTimeout): lower the timeout or raise that limit"],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Duplicate_names_point_at_the_first_declaration()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: money, version: 1.0.0, kind: money }
              - { name: money, version: 2.0.0, kind: money }
            """);
        Assert.Equal(["test.yaml:4:5: duplicate annotator name 'money' (first declared at line 3)"], problems);
    }

    [Fact]
    public void A_missing_dependency_is_named()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: signal, version: 1.0.0, kind: signal, requires: [money@^1, dates@^1] }
              - { name: money, version: 1.0.0, kind: money }
            """);
        Assert.Equal(["test.yaml:3:72: annotator 'signal' requires 'dates', which is not in this pipeline"], problems);
    }

    [Fact]
    public void A_range_nothing_satisfies_names_the_versions_present()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: money, version: 1.4.0, kind: money }
              - name: signal
                version: 1.0.0
                kind: signal
                requires: [money@>=2.0 <3]
            """);
        Assert.Equal(["test.yaml:7:16: annotator 'signal' requires money@>=2.0 <3, but the pipeline has money 1.4.0"], problems);
    }

    [Fact]
    public void Ranges_use_npm_syntax_and_resolve_to_the_version_present()
    {
        var problems = new List<PipelineProblem>();
        var compiler = new PipelineCompiler(new AnnotatorKindCatalog(BuiltInKinds.All));
        var pipeline = compiler.Compile("""
            pipeline: news
            annotators:
              - { name: signal, version: 1.0.0, kind: signal, requires: ["money@~1.4", "dates@1.x?", "event-type@>=1.2 <2"] }
              - { name: money, version: 1.4.7, kind: money }
              - { name: dates, version: 1.0.0, kind: dates }
              - { name: event-type, version: 1.3.0, kind: keywords, options: { labels: { x: [y] } } }
            """, "test.yaml", Path.GetTempPath(), problems);

        Assert.Empty(problems);
        Assert.Equal(["money", "dates", "event-type", "signal"], pipeline!.Nodes.Select(n => n.Name));
        Assert.Equal([0, 1, 2], pipeline.Nodes[3].Dependencies);
        Assert.Equal([false, true, false], pipeline.Nodes[3].Optional);
    }

    [Fact]
    public void A_cycle_is_printed_as_a_path()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: a, version: 1.0.0, kind: money, requires: [b] }
              - { name: b, version: 1.0.0, kind: money, requires: [c] }
              - { name: c, version: 1.0.0, kind: money, requires: [a] }
              - { name: d, version: 1.0.0, kind: money, requires: [a] }
            """);
        Assert.Equal(["test.yaml:3:5: dependency cycle: a -> b -> c -> a"], problems);
    }

    [Fact]
    public void A_condition_may_only_read_declared_dependencies()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: money, version: 1.0.0, kind: money }
              - { name: dates, version: 1.0.0, kind: dates }
              - name: signal
                version: 1.0.0
                kind: signal
                requires: [money]
                when: dates.dates[0].precision == "day"
            """);
        Assert.Equal(["test.yaml:5:5: annotator 'signal': 'when' reads 'dates', which is not in its 'requires'"], problems);
    }

    [Fact]
    public void A_condition_that_does_not_parse_gives_the_column()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - { name: money, version: 1.0.0, kind: money }
              - { name: signal, version: 1.0.0, kind: signal, requires: [money], when: "money.largest.amount >" }
            """);
        Assert.Equal(["test.yaml:4:76: annotator 'signal': 'when' does not parse: expression ends where a value was expected (column 23)"], problems);
    }

    [Fact]
    public void Unknown_option_keys_list_the_kinds_options()
    {
        var problems = Problems("""
            pipeline: news
            annotators:
              - name: signal
                version: 1.0.0
                kind: signal
                options: { type: event-type, amont: money }
            """);
        Assert.Equal(["test.yaml:6:14: annotator 'signal': unknown option 'amont' for kind 'signal' (expected one of: type, money, dates, entities, roles)"], problems);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var problems = Problems("""
            pipeline: News Feed
            extra: 1
            annotators:
              - { name: money, version: "1.0", kind: money, timeout: soon, retries: 99 }
              - { name: dates, version: 1.0.0, kind: dates, timeout: 5 }
              - { version: 1.0.0, kind: money }
            """);
        Assert.Equal(
        [
            "test.yaml:2:1: unknown key 'extra' in pipeline file (expected one of: pipeline, description, input, annotators)",
            "test.yaml:1:11: pipeline tag 'News Feed' must be lower-case letters, digits, '.', '_' or '-'",
            "test.yaml:4:29: annotator 'money': version '1.0' is not a SemVer 2.0 version such as 1.2.0",
            "test.yaml:4:58: annotator 'money': timeout must be a positive duration such as 250ms, 5s or 2m",
            "test.yaml:4:73: annotator 'money': retries must be a whole number from 0 to 10",
            "test.yaml:5:58: annotator 'dates': timeout must be a positive duration such as 250ms, 5s or 2m",
            "test.yaml:6:5: the annotator name is missing ('name:')",
        ], problems);
    }

    [Fact]
    public void An_annotator_version_is_immutable_across_pipelines()
    {
        var kinds = new AnnotatorKindCatalog(BuiltInKinds.All);
        var deployed = new AnnotatorInstances();

        var prod = PipelineLoading.Load(kinds, "pipeline: prod\nannotators:\n  - { name: money, version: 1.0.0, kind: money }\n", "prod.yaml", Path.GetTempPath(), deployed);
        var canary = PipelineLoading.Load(kinds, "pipeline: canary\nannotators:\n  - { name: money, version: 1.0.0, kind: money, options: { minAmount: 5 } }\n", "canary.yaml", Path.GetTempPath(), deployed);

        Assert.Empty(prod.Problems);
        Assert.Equal(["canary.yaml:3:58: annotator 'money' (money): money@1.0.0 is already deployed with a different kind or options; an annotator version is immutable, so publish a new version"],
            canary.Problems);
    }

    [Fact]
    public void A_definition_that_fails_to_activate_pins_none_of_its_versions()
    {
        var broken = new AnnotatorKind<object>("broken", "a model whose file is missing on this silo",
            (_, _) => throw new AnnotatorConfigurationException("model file models/x.onnx not found"), check: (_, _) => { }); // passes compiling, fails loading
        var kinds = new AnnotatorKindCatalog([.. BuiltInKinds.All, broken]);
        var deployed = new AnnotatorInstances();

        var failed = PipelineLoading.Load(kinds,
            "pipeline: prod\nannotators:\n  - { name: money, version: 1.0.0, kind: money }\n  - { name: model, version: 1.0.0, kind: broken }\n",
            "prod.yaml", Path.GetTempPath(), deployed);
        Assert.Contains(failed.Problems, p => p.Contains("annotator 'model' (broken): model file models/x.onnx not found"));
        Assert.Null(deployed.Find("money@1.0.0"));

        // So another definition may declare money@1.0.0 as it likes, here as on every silo where the first one never loaded.
        var canary = PipelineLoading.Load(kinds, "pipeline: canary\nannotators:\n  - { name: money, version: 1.0.0, kind: money, options: { minAmount: 5 } }\n",
            "canary.yaml", Path.GetTempPath(), deployed);
        Assert.Empty(canary.Problems);
        Assert.NotNull(deployed.Find("money@1.0.0"));
    }
}
