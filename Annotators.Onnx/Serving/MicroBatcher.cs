using System.Threading.Channels;

namespace Herald.Annotators.Onnx.Serving;

/// <summary>
/// Gathers concurrent requests into batches for one model: a batch is run as soon as it holds
/// <paramref name="maxBatchSize"/> requests, or <paramref name="maxWait"/> after its first request arrived.
/// Batches run one at a time on one loop (on the thread pool), so a model's cores serve one inference at a time.
/// </summary>
public sealed class MicroBatcher<TIn, TOut> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TIn>, TOut[]> _process;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxWait;
    private readonly Action<int>? _onBatch;
    private readonly Channel<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)> _queue =
        Channel.CreateUnbounded<(TIn, TaskCompletionSource<TOut>, CancellationToken)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly string? _model;

    /// <param name="onBatch">Observes each batch's size (for metrics and tests).</param>
    /// <param name="model">Names the model in the <c>herald.model.batch_size</c> metric; unnamed batchers are not measured.</param>
    public MicroBatcher(Func<IReadOnlyList<TIn>, TOut[]> process, int maxBatchSize, TimeSpan maxWait, Action<int>? onBatch = null, string? model = null)
    {
        _model = model;
        _process = process;
        _maxBatchSize = maxBatchSize;
        _maxWait = maxWait;
        _onBatch = onBatch;
        // The default scheduler explicitly: a batcher created inside a grain must not run on that grain's scheduler.
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default).Unwrap();
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
        var batch = new List<(TIn Item, TaskCompletionSource<TOut> Result, CancellationToken Cancellation)>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            using (var window = new CancellationTokenSource(_maxWait))
            {
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
                    // The wait is over: run what has gathered.
                }
            }
            if (batch.Count == 0) continue;
            _onBatch?.Invoke(batch.Count);
            if (_model is not null) BatchMetrics.BatchSize.Record(batch.Count, new KeyValuePair<string, object?>("model", _model));
            try
            {
                var outputs = _process([.. batch.Select(r => r.Item)]);
                for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(outputs[i]);
            }
            catch (Exception e)
            {
                foreach (var request in batch) request.Result.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
