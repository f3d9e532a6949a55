using Herald.Grains;
using Herald.Grains.Documents;

namespace Herald.Tests.Engine;

[Trait("Category", "cluster")]
[Collection(EngineClusterCollection.Name)]
public sealed class DocumentGrainTests(EngineCluster fixture)
{
    private static DocumentInput NewDocument(string text = "Fernwick Labs raised $12M in a Series A led by Oakmoor Ventures.")
    {
        var id = Guid.NewGuid().ToString("n");
        return new DocumentInput(id, text, null, $$"""{"id":"{{id}}","text":"{{text}}"}""");
    }

    private Task<DocumentSnapshot> RunAsync(string pipeline, DocumentInput document) =>
        fixture.Client.GetGrain<IDocumentGrain>(DocumentKey.Format(pipeline, document.Id)).ProcessAsync(document);

    [Fact]
    public async Task Diamond_runs_no_annotator_before_all_its_dependencies_finished()
    {
        var document = NewDocument();
        var snapshot = await RunAsync("diamond", document);

        Assert.Equal(DocumentStatus.Complete, snapshot.Status);
        Assert.All(snapshot.Annotations, a => Assert.Equal(AnnotationStatus.Done, a.Status));
        var calls = ProbeAnnotator.CallsFor(document.Id).ToDictionary(c => c.Annotator);
        Assert.Equal(["a", "b", "c", "d", "e"], calls.Keys.Order());
        Assert.True(calls["b"].StartTicks >= calls["a"].EndTicks);
        Assert.True(calls["c"].StartTicks >= calls["a"].EndTicks);
        Assert.True(calls["d"].StartTicks >= Math.Max(calls["b"].EndTicks, calls["c"].EndTicks));
        Assert.True(calls["e"].StartTicks >= calls["d"].EndTicks);
        // Each annotator sees exactly the results it declared, nothing more.
        Assert.Equal(["b", "c"], calls["d"].DependenciesSeen);
        Assert.Empty(calls["a"].DependenciesSeen);
        // c (10 ms) finishes before b (30 ms): records are in completion order, sequence counts them plus completion.
        Assert.Equal(["a", "c", "b", "d", "e"], snapshot.Annotations.Select(a => a.Name));
        Assert.Equal(6, snapshot.Sequence);
    }

    [Fact]
    public async Task Independent_branches_run_at_the_same_time()
    {
        // Both annotators wait at a rendezvous for each other: run one after the other, the first would fail.
        var document = NewDocument();
        var snapshot = await RunAsync("concurrent", document);

        Assert.All(snapshot.Annotations, a => Assert.Equal(AnnotationStatus.Done, a.Status));
        var calls = ProbeAnnotator.CallsFor(document.Id).ToDictionary(c => c.Annotator);
        Assert.True(calls["left"].StartTicks < calls["right"].EndTicks && calls["right"].StartTicks < calls["left"].EndTicks,
            "the two branches' executions overlap in time");
    }

    [Fact]
    public async Task A_false_condition_skips_the_branch_and_everything_below_it()
    {
        var document = NewDocument();
        var snapshot = await RunAsync("gated", document);

        Assert.Equal(DocumentStatus.Complete, snapshot.Status);
        Assert.Equal(AnnotationStatus.Done, snapshot.Annotation("gate")!.Status);
        Assert.Equal(AnnotationStatus.Done, snapshot.Annotation("sibling")!.Status);
        var filtered = snapshot.Annotation("filtered")!;
        Assert.Equal(AnnotationStatus.Skipped, filtered.Status);
        Assert.Equal("condition is false: gate.label == \"relevant\" && gate.score >= 0.5", filtered.Detail);
        var below = snapshot.Annotation("below")!;
        Assert.Equal(AnnotationStatus.Skipped, below.Status);
        Assert.Equal("dependency 'filtered' skipped", below.Detail);
        Assert.DoesNotContain(ProbeAnnotator.CallsFor(document.Id), c => c.Annotator is "filtered" or "below");
    }

    [Fact]
    public async Task Failures_are_retried_then_recorded_and_dependants_skipped()
    {
        var document = NewDocument();
        var snapshot = await RunAsync("flaky", document);

        Assert.Equal(DocumentStatus.Complete, snapshot.Status);
        var recovers = snapshot.Annotation("recovers")!;
        Assert.Equal(AnnotationStatus.Done, recovers.Status);
        Assert.Equal(3, recovers.Attempts);
        Assert.True(recovers.DurationMs >= 100 * 0.8 + 200 * 0.8, "two backoffs elapsed between the three attempts");
        Assert.Equal(AnnotationStatus.Done, snapshot.Annotation("after-recovers")!.Status);

        var givesUp = snapshot.Annotation("gives-up")!;
        Assert.Equal(AnnotationStatus.Failed, givesUp.Status);
        Assert.Equal(2, givesUp.Attempts);
        Assert.Contains("probe gives-up failing attempt 2", givesUp.Detail);
        var after = snapshot.Annotation("after-gives-up")!;
        Assert.Equal(AnnotationStatus.Skipped, after.Status);
        Assert.Equal("dependency 'gives-up' failed", after.Detail);
    }

    [Fact]
    public async Task An_optional_dependency_that_failed_is_missing_for_its_dependant_which_still_runs()
    {
        var document = NewDocument();
        var snapshot = await RunAsync("soft", document);

        Assert.Equal(AnnotationStatus.Failed, snapshot.Annotation("down")!.Status);
        Assert.Equal(AnnotationStatus.Done, snapshot.Annotation("tolerant")!.Status);
        var strict = snapshot.Annotation("strict")!;
        Assert.Equal(AnnotationStatus.Skipped, strict.Status);
        Assert.Equal("dependency 'down' failed", strict.Detail);
        // The failed optional dependency is not passed: the annotator (and its `when`) sees it as missing.
        Assert.Equal(["up"], ProbeAnnotator.CallsFor(document.Id).Single(c => c.Annotator == "tolerant").DependenciesSeen);
    }

    [Fact]
    public async Task An_annotator_that_hangs_times_out_is_cancelled_and_the_document_completes()
    {
        var document = NewDocument();
        var started = DateTime.UtcNow;
        var snapshot = await RunAsync("slow", document);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the document did not wait for the 30 s hang");
        var hangs = snapshot.Annotation("hangs")!;
        Assert.Equal(AnnotationStatus.Failed, hangs.Status);
        Assert.Equal("timed out after 200ms", hangs.Detail);
        Assert.Equal(AnnotationStatus.Skipped, snapshot.Annotation("after-hangs")!.Status);
        // The timeout reaches the annotator as cancellation, so its work stops too.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!ProbeAnnotator.CallsFor(document.Id).Any(c => c.Annotator == "hangs") && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(ProbeAnnotator.CallsFor(document.Id).Single(c => c.Annotator == "hangs").Cancelled);
    }

    [Fact]
    public async Task Submitting_the_same_document_again_does_not_rerun_annotators()
    {
        var document = NewDocument();
        var concurrent = await Task.WhenAll(RunAsync("diamond", document), RunAsync("diamond", document), RunAsync("diamond", document));
        Assert.All(concurrent, s => Assert.Equal(concurrent[0].CompletedAt, s.CompletedAt));

        // Completed documents deactivate; the stored result still answers a later resubmission.
        var grain = fixture.Client.GetGrain<IDocumentGrain>(DocumentKey.Format("diamond", document.Id));
        await fixture.Cluster.WaitForDeactivationAsync(grain);
        var later = await RunAsync("diamond", document);

        Assert.Equal(concurrent[0].CompletedAt, later.CompletedAt);
        Assert.Equal(5, ProbeAnnotator.CallsFor(document.Id).Count);
        var stored = await grain.GetAsync();
        Assert.Equal(DocumentStatus.Complete, stored!.Status);
    }

    [Fact]
    public async Task A_model_annotator_runs_in_the_grains_and_its_value_feeds_conditions()
    {
        var documents = Enumerable.Range(0, 12).Select(_ => NewDocument()).ToList();
        var snapshots = await Task.WhenAll(documents.Select(d => RunAsync("embedded", d)));

        Assert.All(snapshots, snapshot =>
        {
            var embedding = System.Text.Json.JsonDocument.Parse(snapshot.Annotation("embedding")!.Output!.ValueJson).RootElement;
            Assert.Equal("all-MiniLM-L6-v2", embedding.GetProperty("model").GetString());
            Assert.Equal(384, embedding.GetProperty("vector").GetArrayLength());
            Assert.Equal(AnnotationStatus.Done, snapshot.Annotation("after")!.Status);
        });
    }

    [Fact]
    public async Task A_document_for_an_unknown_pipeline_is_refused_with_the_deployed_tags()
    {
        var document = NewDocument();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync("nope", document));
        Assert.Contains("no pipeline 'nope' is deployed (deployed: concurrent, diamond, embedded, flaky, gated, news, news-rules, slow, soft)", error.Message);
    }
}
