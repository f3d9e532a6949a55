using Herald.Cli;
using Spectre.Console;

namespace Herald.Tests.Cli;

[Trait("Category", "process")]
public sealed class PipelinesValidateTests
{

    [Fact]
    public async Task A_valid_folder_passes_with_exit_code_zero()
    {
        var (exitCode, output) = await HeraldCli.RunAsync("pipelines", "validate", Path.Combine(AppContext.BaseDirectory, "pipelines"));

        Assert.Equal(0, exitCode);
        Assert.Matches(@"ok +\S+news\.yaml: pipeline 'news' version [0-9a-f]{12}, 8 annotators", output);
    }

    [Fact]
    public async Task Every_problem_in_every_file_is_printed_and_the_exit_code_is_one()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var cyclic = Path.Combine(folder, "cyclic.yaml");
        var broken = Path.Combine(folder, "broken.yaml");
        await File.WriteAllTextAsync(cyclic, "pipeline: cyclic\nannotators:\n  - { name: a, version: 1.0.0, kind: money, requires: [b] }\n  - { name: b, version: 1.0.0, kind: money, requires: [a] }\n");
        await File.WriteAllTextAsync(broken, "pipeline: broken\nannotators:\n  - { name: a, version: 1.0.0, kind: nope }\n");

        var (exitCode, output) = await HeraldCli.RunAsync("pipelines", "validate", cyclic, broken, Path.Combine(folder, "missing.yaml"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"error {cyclic}:3:5: dependency cycle: a -> b -> a", output);
        Assert.Contains($"error {broken}:3:5: annotator 'a': unknown kind 'nope'", output);
        Assert.Contains($"error {Path.Combine(folder, "missing.yaml")}: no such file or folder", output);
        Assert.Contains("3 problem(s) found", output);
    }

    [Fact]
    public async Task Remote_annotators_are_validated_without_calling_their_services()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var remote = Path.Combine(folder, "remote.yaml");
        // Nothing listens on port 1, and no Kafka is configured: validation still passes, since it calls nothing.
        await File.WriteAllTextAsync(remote, """
            pipeline: remote
            annotators:
              - { name: urgency, version: 1.0.0, kind: inference, options: { url: "grpc://127.0.0.1:1", model: urgency, inputs: { text: text } } }
              - { name: sentiment, version: 1.0.0, kind: http, requires: ["urgency@^1?"], options: { url: "http://127.0.0.1:1/" } }
              - { name: topics, version: 1.0.0, kind: kafka, requires: [sentiment], options: { requestTopic: herald.requests.topics } }
              - { name: bad, version: 1.0.0, kind: kafka, options: { requestTopic: "no spaces allowed" } }
            """);

        var (exitCode, output) = await HeraldCli.RunAsync("pipelines", "validate", remote);

        Assert.Equal(1, exitCode);
        Assert.Contains("annotator 'bad' (kafka): option 'requestTopic' is not a valid Kafka topic name: 'no spaces allowed'", output);
        Assert.Contains("1 problem(s) found", output);
    }

    [Fact]
    public async Task Validation_loads_no_model_which_a_deploy_does()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "head.onnx"), "not a model: validation must not open it");
        var definition = Path.Combine(folder, "heads.yaml");
        await File.WriteAllTextAsync(definition, """
            pipeline: heads
            annotators:
              - { name: head, version: 1.0.0, kind: onnx-classifier, options: { model: head.onnx, input: text } }
              - { name: missing, version: 1.0.0, kind: onnx-classifier, options: { model: nowhere.onnx, input: text } }
            """);

        var (exitCode, output) = await HeraldCli.RunAsync("pipelines", "validate", definition);

        // The missing file is found without loading anything; the unreadable one is left to the deploy.
        Assert.Equal(1, exitCode);
        Assert.Contains($"annotator 'missing' (onnx-classifier): model file {Path.Combine(folder, "nowhere.onnx")} does not exist", output);
        Assert.Contains("1 problem(s) found", output);
        var (_, problems) = Herald.Tests.Pipelines.PipelineLoading.Load(new Herald.Annotators.AnnotatorKindCatalog(Herald.Annotators.Onnx.ModelKinds.All),
            (await File.ReadAllTextAsync(definition)).Replace("\n  - { name: missing", "\n# "), definition, folder);
        Assert.Contains(problems, p => p.Contains($"model file {Path.Combine(folder, "head.onnx")} is not a readable ONNX model"));
    }
}
