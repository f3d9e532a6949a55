using System.Diagnostics;
using System.Text.RegularExpressions;
using Herald.Kafka.Embedded;

namespace Herald.Kafka.Tests;

/// <summary>
/// Herald's own page in a real browser (Debian's headless Chromium) against a silo process running the default
/// pipeline (with its models) while sample news flows.
/// </summary>
[Trait("Category", "process")]
public sealed class PipelinePageTests
{
    private static readonly string[] DefaultPipeline = ["embedding", "relevance", "event-type", "entities", "money", "dates", "roles", "signal"];

    [Fact]
    public async Task The_page_draws_the_default_pipeline_and_its_numbers_move_while_documents_flow()
    {
        if (!ChildProcess.OnPath("chromium"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "chromium is required under CI=true (scripts/install-test-deps.sh installs it)");
            return; // a laptop without Chromium: this runs in CI
        }
        await using var broker = new EmbeddedKafkaBroker().WithHeraldTopics(4);
        using var silo = SiloProcess.Start("page", broker.BootstrapServers, primary: null,
            new Dictionary<string, string> { ["Herald__PipelinesPath"] = Path.Combine(SiloProcess.RepositoryRoot(), "pipelines") });
        var page = $"http://127.0.0.1:{silo.HttpPort}/";
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        var samples = File.ReadLines(Path.Combine(SiloProcess.RepositoryRoot(), "samples", "news.jsonl")).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();
        var kafka = new KafkaTestClient(broker.BootstrapServers);
        using var stop = new CancellationTokenSource();
        var flowing = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                await kafka.ProduceDocumentsAsync("herald.documents", samples.Skip(round * 30 % samples.Count).Take(30)
                    .Select(d => { var copy = d.DeepClone().AsObject(); copy["id"] = $"page-{round}-{d["id"]}"; return copy; }));
                await Task.Delay(500);
            }
        });

        try
        {
            var first = await DumpDomAsync(page);
            foreach (var annotator in DefaultPipeline) Assert.Contains($"data-annotator=\"{annotator}\"", first);
            // relevance<-embedding, event-type<-both, entities<-embedding, roles<-four, signal<-five
            Assert.Equal(13, Regex.Count(first, "class=\"edge\""));
            await Task.Delay(TimeSpan.FromSeconds(3));
            var second = await DumpDomAsync(page);
            Assert.True(Done(second) > Done(first), $"done counts moved from {Done(first)} to {Done(second)}");
            // Documents queue at the embedding while they flow: the page names a bottleneck and marks its node.
            Assert.Matches(@"bottleneck: [a-z-]+", first + second);
            Assert.Matches(@"class=""node bottleneck""", first + second);
            // Sparklines from /api/status/history: each annotator's rate and latency drawn as points over the last minutes.
            Assert.Matches(@"<polyline class=""spark rate"" data-spark=""rate"" points=""[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+", second);
            Assert.Matches(@"<polyline class=""spark latency"" data-spark=""latency"" points=""[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+", second);

            var screenshot = Path.Combine(Path.GetTempPath(), $"herald-page-{Guid.NewGuid():n}.png");
            await ChromiumAsync("--window-size=1400,900", "--hide-scrollbars", $"--screenshot={screenshot}", page);
            Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot shows a page");
            // HERALD_PAGE_SCREENSHOT=docs/pipeline-page.png refreshes README's screenshot from this very page.
            if (Environment.GetEnvironmentVariable("HERALD_PAGE_SCREENSHOT") is { Length: > 0 } keep)
                File.Copy(screenshot, Path.GetFullPath(keep, SiloProcess.RepositoryRoot()), overwrite: true);
        }
        finally
        {
            stop.Cancel();
            await flowing;
        }
    }

    /// <summary>The DOM after the page's scripts ran for a few (virtual) seconds: its polls of the status API included.</summary>
    private static Task<string> DumpDomAsync(string url) => ChromiumAsync("--dump-dom", url);

    private static async Task<string> ChromiumAsync(params string[] arguments)
    {
        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Directory.CreateTempSubdirectory("chromium-").FullName}", "--virtual-time-budget=4000"];
        using var chromium = Process.Start(new ProcessStartInfo("chromium", [.. common, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = chromium.StandardOutput.ReadToEndAsync();
        _ = chromium.StandardError.ReadToEndAsync();
        await chromium.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return await output;
    }

    /// <summary>The sum of every annotator's done count shown on the page.</summary>
    private static long Done(string dom) => Regex.Matches(dom, @"· (\d+) done").Sum(m => long.Parse(m.Groups[1].Value));
}
