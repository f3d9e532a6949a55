using Herald.Grains.Documents;
using Herald.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Herald.Tests.Engine;

/// <summary>The embedded default store of completed documents: bounded, isolated from the grains' objects, and versioned.</summary>
public sealed class BoundedMemoryGrainStorageTests
{
    private const string State = "document";

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(DocumentSnapshot).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static GrainId Grain(string id) => GrainId.Create("document", $"news/{id}");

    private static DocumentSnapshot Snapshot(string id, params string[] annotations) => new(
        "news", "v1", new DocumentInput(id, "text", null, $$"""{"id":"{{id}}","text":"text"}"""),
        annotations.Select(a => new AnnotationRecord(a, "1.0.0", AnnotationStatus.Done, new AnnotationOutput("true", null), null, 1, 1, DateTimeOffset.UnixEpoch)).ToArray(),
        DocumentStatus.Complete, annotations.Length + 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static async Task<GrainState<DocumentSnapshot>> ReadAsync(BoundedMemoryGrainStorage store, string id)
    {
        var state = new GrainState<DocumentSnapshot>();
        await store.ReadStateAsync(State, Grain(id), state);
        return state;
    }

    private static async Task<GrainState<DocumentSnapshot>> WriteAsync(BoundedMemoryGrainStorage store, string id, DocumentSnapshot snapshot)
    {
        var state = await ReadAsync(store, id);
        state.State = snapshot;
        await store.WriteStateAsync(State, Grain(id), state);
        return state;
    }

    private static IEnumerable<string> Names(GrainState<DocumentSnapshot> read) => read.State!.Annotations.Select(a => a.Name);

    [Fact]
    public async Task A_written_state_reads_back_equal_and_never_aliases_the_writers_objects()
    {
        var store = new BoundedMemoryGrainStorage(10, Serializer);
        var written = Snapshot("d-1", "money", "dates");
        await WriteAsync(store, "d-1", written);

        var read = await ReadAsync(store, "d-1");
        Assert.True(read.RecordExists);
        var state = read.State!;
        Assert.NotSame(written, state);
        Assert.NotSame(written.Annotations, state.Annotations);
        Assert.Equal(written.Annotations.Select(a => (a.Name, a.Output!.ValueJson)), state.Annotations.Select(a => (a.Name, a.Output!.ValueJson)));
        Assert.Equal(written.Document, state.Document);
        Assert.False((await ReadAsync(store, "d-2")).RecordExists);
    }

    [Fact]
    public async Task Beyond_its_capacity_the_oldest_written_records_leave_first()
    {
        var store = new BoundedMemoryGrainStorage(3, Serializer);
        foreach (var id in new[] { "d-1", "d-2", "d-3", "d-4", "d-5" }) await WriteAsync(store, id, Snapshot(id));
        // Rewriting a record does not make it count twice.
        await WriteAsync(store, "d-5", Snapshot("d-5", "money"));

        Assert.Equal(3, store.Count);
        Assert.False((await ReadAsync(store, "d-1")).RecordExists);
        Assert.False((await ReadAsync(store, "d-2")).RecordExists);
        Assert.Equal(["money"], Names(await ReadAsync(store, "d-5")));
        Assert.True((await ReadAsync(store, "d-3")).RecordExists);
    }

    [Fact]
    public async Task A_writer_holding_an_older_version_is_refused_and_changes_nothing()
    {
        var store = new BoundedMemoryGrainStorage(10, Serializer);
        var first = await WriteAsync(store, "d-1", Snapshot("d-1", "money"));
        var stale = new GrainState<DocumentSnapshot>(Snapshot("d-1", "dates"), first.ETag);
        await WriteAsync(store, "d-1", Snapshot("d-1", "entities")); // another writer moves the version on

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync(State, Grain("d-1"), stale));
        Assert.Contains("cannot write document of", refused.Message);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearStateAsync(State, Grain("d-1"), stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync(State, Grain("d-1"), new GrainState<DocumentSnapshot>(Snapshot("d-1"))));
        Assert.Equal(["entities"], Names(await ReadAsync(store, "d-1")));

        var current = await ReadAsync(store, "d-1");
        await store.ClearStateAsync(State, Grain("d-1"), current);
        Assert.False(current.RecordExists);
        Assert.False((await ReadAsync(store, "d-1")).RecordExists);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_record_evicted_under_a_live_writer_accepts_its_next_write()
    {
        var store = new BoundedMemoryGrainStorage(1, Serializer);
        var writer = await WriteAsync(store, "d-1", Snapshot("d-1"));
        await WriteAsync(store, "d-2", Snapshot("d-2")); // evicts d-1

        writer.State = Snapshot("d-1", "money");
        await store.WriteStateAsync(State, Grain("d-1"), writer);
        Assert.Equal(["money"], Names(await ReadAsync(store, "d-1")));
    }
}
