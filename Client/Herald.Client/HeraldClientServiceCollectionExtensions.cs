using System.Net.Http.Headers;
using Herald.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HeraldClient"/> as a typed HTTP client with validated options and Herald's resilience settings.</summary>
public static class HeraldClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HeraldClient"/>. Options are validated when first used and at host start, naming every problem;
    /// safe requests (GET) are retried on transient failures, changes never; each attempt is bounded by
    /// <see cref="HeraldClientOptions.Timeout"/>.
    /// </summary>
    public static IServiceCollection AddHeraldClient(this IServiceCollection services, Action<HeraldClientOptions> configure)
    {
        services.AddOptions<HeraldClientOptions>().Configure(configure).ValidateOnStart();
        return services.AddHeraldClientCore();
    }

    /// <summary>Registers <see cref="HeraldClient"/> with options bound from <paramref name="section"/> (by convention <see cref="HeraldClientOptions.Section"/>).</summary>
    public static IServiceCollection AddHeraldClient(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<HeraldClientOptions>().Bind(section).ValidateOnStart();
        return services.AddHeraldClientCore();
    }

    private static IServiceCollection AddHeraldClientCore(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<HeraldClientOptions>, HeraldClientOptionsValidator>();
        services.AddHttpClient<HeraldClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<HeraldClientOptions>>().Value;
                http.BaseAddress = options.Url.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler times each attempt and the whole request
                // Marks requests as coming from a program, not a web page elsewhere (a silo without a token requires it for changes).
                http.DefaultRequestHeaders.Add("X-Herald-Request", "1");
                if (options.ApiToken is { Length: > 0 } token) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, provider) =>
            {
                try
                {
                    Configure(resilience, provider.GetRequiredService<IOptions<HeraldClientOptions>>().Value);
                }
                catch (OptionsValidationException)
                {
                    // Invalid client options are reported once, by their own validation, not again as the handler's.
                }
            });
        return services;
    }

    private static void Configure(HttpStandardResilienceOptions resilience, HeraldClientOptions options)
    {
        resilience.Retry.DisableForUnsafeHttpMethods();
        if (options.Retries == 0) resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        else resilience.Retry.MaxRetryAttempts = options.Retries;
        resilience.Retry.Delay = options.RetryDelay;
        resilience.AttemptTimeout.Timeout = options.Timeout;
        resilience.TotalRequestTimeout.Timeout = options.Timeout * (options.Retries + 1) + options.RetryDelay * (1 << Math.Min(options.Retries, 10)) * 2;
        // The breaker's window must span at least two attempts.
        var window = options.Timeout * 2;
        if (resilience.CircuitBreaker.SamplingDuration < window) resilience.CircuitBreaker.SamplingDuration = window;
    }

    internal static void Copy(HeraldClientOptions from, HeraldClientOptions to)
    {
        to.Url = from.Url;
        to.ApiToken = from.ApiToken;
        to.KafkaBootstrapServers = from.KafkaBootstrapServers;
        to.InputTopic = from.InputTopic;
        to.AnnotationsTopic = from.AnnotationsTopic;
        to.Kafka = new Dictionary<string, string>(from.Kafka);
        to.Timeout = from.Timeout;
        to.Retries = from.Retries;
        to.RetryDelay = from.RetryDelay;
    }
}
