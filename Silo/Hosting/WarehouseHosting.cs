using Herald.Kafka.Hosting;
using Herald.Warehouse;
using Herald.Warehouse.Sink;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Hosting;

/// <summary>The warehouse sink inside a silo (<c>Herald:Warehouse:Enabled</c>), reading the silo's own Kafka cluster unless told otherwise.</summary>
internal static class WarehouseHosting
{
    public static IServiceCollection AddHeraldWarehouse(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WarehouseOptions>()
            .Bind(configuration.GetSection(WarehouseOptions.Section))
            .PostConfigure<KafkaConnection>((o, kafka) =>
            {
                if (string.IsNullOrWhiteSpace(o.BootstrapServers)) o.BootstrapServers = kafka.BootstrapServers;
                if (o.Topic == new WarehouseOptions().Topic) o.Topic = kafka.Options.AnnotationsTopic;
            });
        services.AddSingleton<IValidateOptions<WarehouseOptions>, WarehouseOptionsValidation>();
        if (!configuration.GetValue<bool>($"{WarehouseOptions.Section}:{nameof(WarehouseOptions.Enabled)}")) return services;
        services.AddOptions<WarehouseOptions>().ValidateOnStart();
        services.AddSingleton<WarehouseKafkaClient>(sp => config => sp.GetRequiredService<KafkaConnection>().Configure(config));
        services.AddSingleton<WarehouseService>();
        services.AddHostedService(sp => sp.GetRequiredService<WarehouseService>());
        return services;
    }

    private sealed class WarehouseOptionsValidation : IValidateOptions<WarehouseOptions>
    {
        public ValidateOptionsResult Validate(string? name, WarehouseOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
