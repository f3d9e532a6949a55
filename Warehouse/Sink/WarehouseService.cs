using Confluent.Kafka;
using DuckDB.NET.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Warehouse.Sink;

/// <summary>
/// The sink as a hosted service, for a silo that keeps the warehouse itself (<c>Herald:Warehouse:Enabled</c>); its DuckDB file
/// then answers <c>GET /api/query</c> of the same process. A failing sink is logged and started again after a pause.
/// </summary>
public sealed class WarehouseService(IOptions<WarehouseOptions> options, ILogger<WarehouseService> logger, WarehouseKafkaClient? configure = null) : BackgroundService
{
    private volatile WarehouseSink? _sink;

    /// <summary>A query connection on the sink's database, or null when this process keeps none (yet).</summary>
    public DuckDBConnection? OpenQueryConnection() => _sink?.Database?.OpenQueryConnection();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configured = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var sink = new WarehouseSink(configured, logger, configure is null ? null : c => configure(c));
                _sink = sink;
                logger.LogInformation("Warehouse sink reading {Topic} into {Database} {Parquet}", configured.Topic, configured.Database, configured.Parquet);
                await sink.RunAsync(once: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The warehouse sink failed; starting it again in 5 s (it resumes at its committed offsets)");
            }
            finally
            {
                _sink = null;
            }
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>Client settings of the hosting process's Kafka cluster (security, ...) that the sink's consumer takes on.</summary>
public delegate void WarehouseKafkaClient(ClientConfig config);
