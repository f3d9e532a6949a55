using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Herald.Annotators.Serving;

/// <summary>
/// Gathers concurrent requests into batches for one model: a batch is sent as soon as it holds
/// <c>maxBatchSize</c> requests, or <c>maxWait</c> after its first request arrived. At most
/// <c>maxConcurrentBatches</c> batches run at once: one for an in-process model (its cores serve one inference at a
/// time), more for a remote server that overlaps requests.
/// </summary>
public sealed class MicroBatcher<TIn, TOut> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TIn>, CancellationToken, Task<TOut[]>> _process;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxWait;
    private readonly Action<int>? _onBatch;
    private readonly SemaphoreSlim _batchSlots;
    private readonly Channel<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)> _queue =
        Channel.CreateUnbounded<(TIn, TaskCompletionSource<TOut>, CancellationToken)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _loop;
    private readonly string? _model;
    // The batch-size histograms of the hosts measuring this model (one per silo; a model is shared by every silo in a process).
    private Histogram<int>[] _measured = [];

    /// <summary>A batcher for a synchronous, CPU-bound model: one batch at a time, on the thread pool.</summary>
    /// <param name="onBatch">Observes each batch's size (for metrics and tests).</param>
    /// <param name="model">Names the model in the <c>herald.model.batch_size</c> metric; unnamed batchers are not measured.</param>
    public MicroBatcher(Func<IReadOnlyList<TIn>, TOut[]> process, int maxBatchSize, TimeSpan maxWait, Action<int>? onBatch = null, string? model = null)
        : this((batch, _) => Task.FromResult(process(batch)), maxBatchSize, maxWait, maxConcurrentBatches: 1, onBatch, model)
    {
    }

    /// <summary>A batcher for an asynchronous model (a remote server): up to <paramref name="maxConcurrentBatches"/> in flight.</summary>
    public MicroBatcher(Func<IReadOnlyList<TIn>, CancellationToken, Task<TOut[]>> process, int maxBatchSize, TimeSpan maxWait,
        int maxConcurrentBatches, Action<int>? onBatch = null, string? model = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentBatches, 1);
        _model = model;
        _process = process;
        _maxBatchSize = maxBatchSize;
        _maxWait = maxWait;
        _onBatch = onBatch;
        _batchSlots = new SemaphoreSlim(maxConcurrentBatches);
        // The default scheduler explicitly: a batcher created inside a grain must not run on that grain's scheduler.
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Records each batch's size in <c>herald.model.batch_size</c> on <paramref name="meter"/> (named batchers only).</summary>
    public void MeasureWith(Meter meter)
    {
        if (_model is null) return;
        var histogram = BatchMetrics.For(meter).BatchSize;
        lock (_queue)
            if (!_measured.Contains(histogram)) _measured = [.. _measured, histogram];
    }

    public Task<TOut> SubmitAsync(TIn item, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, result, cancellationToken)))
            result.SetException(new ObjectDisposedException(nameof(MicroBatcher<TIn, TOut>)));
        return result.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var running = new List<Task>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Gather only once a batch can be sent: requests arriving meanwhile join the next batch instead of waiting in a full one.
            await _batchSlots.WaitAsync();
            var batch = await GatherAsync();
            if (batch.Count == 0)
            {
                _batchSlots.Release();
                continue;
            }
            running.RemoveAll(t => t.IsCompleted);
            running.Add(ProcessAsync(batch));
        }
        await Task.WhenAll(running);
    }

    private async Task<List<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)>> GatherAsync()
    {
        var batch = new List<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)>(_maxBatchSize);
        using var window = new CancellationTokenSource(_maxWait);
        try
        {
            while (batch.Count < _maxBatchSize)
            {
                if (_queue.Reader.TryRead(out var request))
                {
                    // A caller that gave up (timeout) is not worth a slot in the batch.
                    if (!request.Cancellation.IsCancellationRequested) batch.Add(request);
                    continue;
                }
                if (batch.Count == 0 || !await _queue.Reader.WaitToReadAsync(window.Token)) break;
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The wait is over: send what has gathered.
        }
        return batch;
    }

    private async Task ProcessAsync(List<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)> batch)
    {
        // A batch that every caller gave up on (their deadlines passed) is cancelled: a hung server does not hold a slot forever.
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var waiting = batch.Count;
        var registrations = batch.Select(r => r.Cancellation.Register(() =>
        {
            if (Interlocked.Decrement(ref waiting) == 0) abandoned.Cancel();
        })).ToList();
        try
        {
            _onBatch?.Invoke(batch.Count);
            foreach (var histogram in _measured) histogram.Record(batch.Count, new KeyValuePair<string, object?>("model", _model));
            var outputs = await _process([.. batch.Select(r => r.Item)], abandoned.Token);
            if (outputs.Length != batch.Count)
                throw new InvalidOperationException($"the model answered {outputs.Length} results for a batch of {batch.Count}");
            for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(outputs[i]);
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Result.TrySetException(e);
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
            _batchSlots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _disposed.Dispose();
    }
}
