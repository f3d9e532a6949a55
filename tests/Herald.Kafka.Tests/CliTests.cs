using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Herald.Kafka.Tests;

/// <summary>The `herald` command line as a user runs it (its own process) against a running silo and broker.</summary>
[Trait("Category", "process")]
[Collection(HttpSiloCollection.Name)]
public sealed class CliTests(HttpSilo silo)
{
    private string[] Cluster => ["--url", silo.BaseAddress.ToString(), "--kafka", silo.Broker.BootstrapServers];

    [Fact]
    public async Task Submit_follow_shows_progress_and_a_summary_of_the_signals_found()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "news.jsonl");
        var samples = File.ReadLines(Path.Combine(SiloProcess.RepositoryRoot(), "samples", "news.jsonl")).Take(30).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var sample in samples) sample["id"] = $"cli-{sample["id"]}";
        await File.WriteAllLinesAsync(file, samples.Select(s => s.ToJsonString()));

        var (exitCode, output) = await HeraldAsync(["submit", file, "--follow", .. Cluster]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("submitted 30 documents", output);
        Assert.Contains("30 documents complete", output);
        Assert.Contains("funding_round", output);
    }

    [Fact]
    public async Task Submit_refuses_a_bad_file_naming_the_line_and_sends_nothing()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "bad.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"id": "ok-1", "text": "fine"}""", "{broken", """{"id": "no-text"}"""]);

        var (exitCode, output) = await HeraldAsync(["submit", file, .. Cluster]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:2: not valid JSON", output.Replace("\n", ""));
        Assert.Contains("'text' (a non-empty string) is required", output.Replace("\n", ""));
        Assert.Contains("nothing was submitted", output);
    }

    [Fact]
    public async Task Annotate_get_status_and_list_read_the_cluster()
    {
        var (annotated, table) = await HeraldAsync(["annotate", "Quorra Labs raised $8 million in a seed round led by Fernhill Capital.", .. Cluster]);
        Assert.True(annotated == 0, table);
        Assert.Contains("event-type", table);
        Assert.Contains("funding_round", table);

        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("cli-get-1")]);
        var (got, json) = (1, "");
        for (var attempt = 0; attempt < 50 && got != 0; attempt++)
        {
            (got, json) = await HeraldAsync(["get", "cli-get-1", .. Cluster]);
            if (got != 0) await Task.Delay(200);
        }
        Assert.Equal(0, got);
        Assert.Equal("cli-get-1", (string)JsonNode.Parse(json)!["id"]!);
        var (missing, message) = await HeraldAsync(["get", "never-sent", .. Cluster]);
        Assert.Equal(1, missing);
        Assert.Contains("is not known in pipeline 'news'", message.Replace("\n", ""));

        var (status, statusTable) = await HeraldAsync(["status", .. Cluster]);
        Assert.True(status == 0, statusTable);
        Assert.Contains("signal", statusTable);
        var (list, pipelines) = await HeraldAsync(["pipelines", "list", .. Cluster]);
        Assert.True(list == 0, pipelines);
        Assert.Contains("news", pipelines);
    }

    [Fact]
    public async Task Changes_need_the_token_and_errors_are_helpful()
    {
        var (refused, why) = await HeraldAsync(["annotators", "pause", "news", "dates", .. Cluster]);
        Assert.Equal(4, refused);
        Assert.Contains("the cluster refused the request", why.Replace("\n", " "));

        var (paused, pausedOutput) = await HeraldAsync(["annotators", "pause", "news", "dates", "--token", HttpSilo.Token, .. Cluster]);
        var (resumed, resumedOutput) = await HeraldAsync(["annotators", "resume", "news", "dates", "--token", HttpSilo.Token, .. Cluster]);
        Assert.True(paused == 0, pausedOutput);
        Assert.True(resumed == 0, resumedOutput);
        Assert.Contains("news/dates paused", pausedOutput);

        var bad = Path.Combine(Directory.CreateTempSubdirectory().FullName, "bad.yaml");
        await File.WriteAllTextAsync(bad, "pipeline: news\nannotators:\n  - { name: money, version: 1.0.0, kind: moneyz }\n");
        var (rejected, problems) = await HeraldAsync(["pipelines", "deploy", bad, "--token", HttpSilo.Token, .. Cluster]);
        Assert.Equal(1, rejected);
        Assert.Contains("unknown kind 'moneyz'", problems.Replace("\n", ""));

        var (unreachable, hint) = await HeraldAsync(["status", "--url", $"http://127.0.0.1:{SiloProcess.FreePort()}"]);
        Assert.Equal(3, unreachable);
        Assert.Contains("no Herald silo answers at", hint.Replace("\n", " "));
    }

    [Fact]
    public async Task Watch_prints_documents_as_they_complete()
    {
        using var watch = new ChildProcess("dotnet", [SiloProcess.HeraldCli, "watch", .. Cluster]);
        await Task.Delay(TimeSpan.FromSeconds(4)); // the watcher joins the topic at its end
        await silo.Kafka.ProduceDocumentsAsync(HttpSilo.Input, [KafkaPipelineCluster.Document("cli-watch-1")]);
        await watch.WaitForOutputAsync("cli-watch-1", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Redirected_output_keeps_each_message_on_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("herald-a-folder-whose-name-is-long-enough-to-pass-eighty-columns-").FullName;
        var file = Path.Combine(folder, "cyclic.yaml");
        await File.WriteAllTextAsync(file, "pipeline: cyclic\nannotators:\n  - { name: alpha, version: 1.0.0, kind: money, requires: [gamma] }\n" +
            "  - { name: beta, version: 1.0.0, kind: money, requires: [alpha] }\n  - { name: gamma, version: 1.0.0, kind: money, requires: [beta] }\n");

        // As in a CI log or `> log`: no terminal, no COLUMNS.
        var (exitCode, output) = await HeraldAsync(["pipelines", "validate", file], columns: null);

        Assert.Equal(1, exitCode);
        Assert.Contains(output.Split('\n'), line => line.TrimEnd() == $"error {file}:3:5: dependency cycle: alpha -> gamma -> beta -> alpha");
        Directory.Delete(folder, recursive: true);
    }

    internal static async Task<(int ExitCode, string Output)> HeraldAsync(string[] arguments, string? columns = "200")
    {
        var info = new ProcessStartInfo("dotnet", [SiloProcess.HeraldCli, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (columns is null) info.Environment.Remove("COLUMNS");
        else info.Environment["COLUMNS"] = columns;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output + await errors);
    }
}
