using Herald.Grains.Hosting;

namespace Herald.Grains.Control;

/// <summary>The cluster's run-time changes (pauses, deployments), kept in the documents storage provider so they outlive the silo holding them.</summary>
internal sealed class PipelineControlGrain([PersistentState("control", HeraldStorage.Control)] IPersistentState<ControlRecord> state) : Grain, IPipelineControlGrain
{
    public async Task<ControlState> SetPausedAsync(string pipeline, string annotator, bool paused)
    {
        var key = ControlState.PausedKey(pipeline, annotator);
        var changed = paused ? state.State.Paused.Add(key) : state.State.Paused.Remove(key);
        if (changed)
        {
            state.State.Version++;
            await state.WriteStateAsync();
        }
        return Current();
    }

    public async Task<ControlState> SetDeploymentAsync(string pipeline, string? yaml)
    {
        state.State.Deployments[pipeline] = yaml;
        state.State.Version++;
        await state.WriteStateAsync();
        return Current();
    }

    public Task<ControlState> GetAsync() => Task.FromResult(Current());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Epoch.Length > 0) return;
        // First activation, or the storage lost the state: a new epoch tells every silo to take this state as it is.
        state.State.Epoch = Guid.NewGuid().ToString("n");
        await state.WriteStateAsync(cancellationToken);
    }

    private ControlState Current() => new(state.State.Version, state.State.Paused.ToHashSet(), new Dictionary<string, string?>(state.State.Deployments), state.State.Epoch);
}

/// <summary>The cluster's run-time changes as stored: deployed pipelines by tag, paused annotators, and their version.</summary>
// The alias keeps the name it was first stored under, so existing Redis state still reads.
[GenerateSerializer, Alias("herald.paused-set")]
internal sealed class ControlRecord
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public HashSet<string> Paused { get; set; } = [];
    [Id(2)] public Dictionary<string, string?> Deployments { get; set; } = [];
    [Id(3)] public string Epoch { get; set; } = "";
}
