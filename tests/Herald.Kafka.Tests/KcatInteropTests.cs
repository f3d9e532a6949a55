using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Herald.Kafka.Tests;

/// <summary>
/// Debian's kcat, an independent Kafka client, talks to a running silo's embedded broker: it produces documents
/// into the input topic and reads the central and dead-letter topics back, checking the contract in README.md.
/// </summary>
[Trait("Category", "process")]
public sealed class KcatInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("All")]
    [InlineData("Complete")]
    [InlineData("Deltas")]
    public async Task Kcat_produces_documents_and_reads_the_central_topic_contract(string emit)
    {
        if (!KcatAvailable())
        {
            // ./test.sh installs kcat; CI must never skip this.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "kcat is required under CI=true (scripts/install-test-deps.sh installs it)");
            output.WriteLine("SKIPPED: kcat is not installed (apt-get install kcat, or run ./test.sh)");
            return;
        }

        var port = SiloProcess.FreePort();
        var bootstrap = $"127.0.0.1:{port}";
        using var silo = SiloProcess.Start("embedded", bootstrapServers: "", primary: null, new Dictionary<string, string>
        {
            ["Herald__Kafka__EmbeddedPort"] = port.ToString(),
            ["Herald__Kafka__Emit"] = emit,
        });
        await silo.WaitForAsync(() => silo.CountLines("Pipeline news reads herald.documents") >= 1, Patience, "reading the partitions of its embedded broker");

        var documents = Enumerable.Range(0, 5).Select(i => KafkaPipelineCluster.Document($"kcat-{i}")).ToList();
        var lines = documents.Select(d => $"{d["id"]}\t{d.ToJsonString()}").Append("bad-1\t{\"id\": \"bad-1\"}");
        await Kcat(["-P", "-b", bootstrap, "-t", "herald.documents", "-K", "\t"], Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        // The reported loss, as reported: invalid UTF-8 inside a string between two valid documents of one partition and batch.
        await Kcat(["-P", "-b", bootstrap, "-t", "herald.documents", "-p", "0", "-K", "\t"],
            [.. "ok-1\t{\"id\":\"ok-1\",\"text\":\"valid one\"}\nbad-1\t{\"id\":\"bad-1\",\"text\":\"bad "u8, 0xFF, .. " byte\"}\nok-2\t{\"id\":\"ok-2\",\"text\":\"valid two\"}\n"u8]);
        documents.Add(new JsonObject { ["id"] = "ok-1", ["text"] = "valid one" });
        documents.Add(new JsonObject { ["id"] = "ok-2", ["text"] = "valid two" });

        var completes = new Dictionary<string, JsonObject>();
        var histories = new Dictionary<string, List<(string Event, JsonObject Record)>>();
        var deadline = DateTime.UtcNow + Patience;
        while (completes.Count < documents.Count && DateTime.UtcNow < deadline)
        {
            histories.Clear();
            foreach (var envelope in await ReadAllAsync(bootstrap, "herald.annotations"))
            {
                var headers = Headers(envelope);
                if (headers.GetValueOrDefault("herald-pipeline") != "news") continue;
                var record = JsonNode.Parse((string)envelope["payload"]!)!.AsObject();
                var key = (string)envelope["key"]!;
                if (!histories.TryGetValue(key, out var history)) histories[key] = history = [];
                history.Add((headers["herald-event"]!, record)); // one key, one partition: in order
                if (headers["herald-event"] == "complete") completes[key] = record;
            }
            if (completes.Count < documents.Count) await Task.Delay(500);
        }

        Assert.Equal(documents.Select(d => (string)d["id"]!).Order(), completes.Keys.Order());
        foreach (var sent in documents)
        {
            var record = completes[(string)sent["id"]!];
            Assert.Equal("complete", (string)record["status"]!);
            // Five annotation records (sequence 1-5), then the completion.
            Assert.Equal(6, (long)record["sequence"]!);
            Assert.True(JsonNode.DeepEquals(sent, record["document"]));
            Assert.Equal(["dates", "entities", "event-type", "money", "signal"], record["annotations"]!.AsObject().Select(a => a.Key).Order(StringComparer.Ordinal));
            Assert.All(record["annotations"]!.AsObject(), a => Assert.True((string)a.Value!["status"]! is "done" or "skipped"));
            AssertHistory(emit, histories[(string)sent["id"]!], record);
        }

        var letters = await ReadAllAsync(bootstrap, "herald.deadletter");
        var letter = Assert.Single(letters, l => (string?)l["key"] == "bad-1" && Headers(l)["herald-reason"]!.StartsWith("missing"));
        Assert.Equal("missing 'text': a document needs a non-empty string 'text'", Headers(letter)["herald-reason"]);
        Assert.Equal("{\"id\": \"bad-1\"}", (string)letter["payload"]!);
        var invalid = Assert.Single(letters, l => (string?)l["key"] == "bad-1" && Headers(l)["herald-source-partition"] == "0");
        Assert.Equal("not UTF-8: the byte at offset 26 does not start a valid UTF-8 sequence", Headers(invalid)["herald-reason"]);
    }

    /// <summary>The records before the complete one, as README's emission modes promise them.</summary>
    private static void AssertHistory(string emit, List<(string Event, JsonObject Record)> history, JsonObject complete)
    {
        Assert.Equal("complete", history[^1].Event);
        var annotations = history[..^1];
        if (emit == "Complete")
        {
            Assert.Empty(annotations);
            return;
        }
        Assert.Equal(["annotation", "annotation", "annotation", "annotation", "annotation"], annotations.Select(a => a.Event));
        Assert.Equal([1L, 2, 3, 4, 5], annotations.Select(a => (long)a.Record["sequence"]!));
        Assert.All(annotations, a => Assert.Equal("running", (string)a.Record["status"]!));
        if (emit == "All")
        {
            // Each carries the whole state so far: the document and every annotation until then.
            Assert.All(annotations, a => Assert.True(JsonNode.DeepEquals(complete["document"], a.Record["document"])));
            Assert.Equal([1, 2, 3, 4, 5], annotations.Select(a => a.Record["annotations"]!.AsObject().Count));
            return;
        }
        // Deltas: each carries its one annotation (no document); together they are the complete record's annotations.
        Assert.All(annotations, a => Assert.Null(a.Record["document"]));
        Assert.All(annotations, a => Assert.Equal((string)complete["id"]!, (string)a.Record["id"]!));
        Assert.All(annotations, a => Assert.Equal(complete["pipeline"]!.ToJsonString(), a.Record["pipeline"]!.ToJsonString()));
        var deltas = annotations.Select(a => Assert.Single(a.Record["annotations"]!.AsObject())).ToList();
        Assert.Equal(complete["annotations"]!.AsObject().Select(a => a.Key).Order(), deltas.Select(d => d.Key).Order());
        Assert.All(deltas, d => Assert.True(JsonNode.DeepEquals(complete["annotations"]![d.Key], d.Value)));
    }

    /// <summary>Reads a whole topic with kcat's JSON envelope (-J): key, payload and headers of each record.</summary>
    private static async Task<List<JsonObject>> ReadAllAsync(string bootstrap, string topic)
    {
        var text = await Kcat(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-J"], null);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
    }

    /// <summary>kcat prints headers as a flat array: [name, value, name, value, ...].</summary>
    private static Dictionary<string, string?> Headers(JsonObject envelope)
    {
        var flat = envelope["headers"]?.AsArray() ?? [];
        return Enumerable.Range(0, flat.Count / 2).ToDictionary(i => (string)flat[2 * i]!, i => (string?)flat[2 * i + 1]);
    }

    private static async Task<string> Kcat(string[] args, byte[]? input)
    {
        var info = new ProcessStartInfo("kcat", args) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        if (input is not null) await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"kcat {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    private static bool KcatAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "kcat")));
}
