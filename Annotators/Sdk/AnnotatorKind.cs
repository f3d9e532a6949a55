using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Annotators;

/// <summary>
/// A kind is an implementation that pipelines can name in <c>kind:</c>. It declares the option keys it
/// accepts (so pipelines are validated before anything runs) and builds annotator instances.
/// </summary>
public abstract class AnnotatorKind(string name, string description)
{
    public string Name { get; } = name;
    public string Description { get; } = description;

    /// <summary>The option keys this kind understands, as written in YAML.</summary>
    public abstract IReadOnlyCollection<string> OptionKeys { get; }

    /// <summary>Builds an instance; throws <see cref="AnnotatorConfigurationException"/> with a precise message when it cannot.</summary>
    public abstract IAnnotator Create(AnnotatorSpec spec);

    /// <summary>
    /// Checks a spec as <see cref="Create"/> would, without loading a model or calling a service (what validating a pipeline
    /// does); throws <see cref="AnnotatorConfigurationException"/>. By default it builds an instance, for kinds whose building is pure.
    /// </summary>
    public virtual void Check(AnnotatorSpec spec) => Create(spec);
}

/// <summary>
/// A kind whose options bind to <typeparamref name="TOptions"/> (camelCase keys in YAML). A kind whose building loads a model
/// gives <paramref name="check"/>: the pure part (option values, files present), run before the factory and alone when validating.
/// </summary>
public sealed class AnnotatorKind<TOptions>(string name, string description, Func<TOptions, AnnotatorSpec, IAnnotator> factory,
    Action<TOptions, AnnotatorSpec>? check = null)
    : AnnotatorKind(name, description) where TOptions : class, new()
{
    private static readonly JsonSerializerOptions BindOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private static readonly string[] Keys = typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
        .ToArray();

    public override IReadOnlyCollection<string> OptionKeys => Keys;

    public override IAnnotator Create(AnnotatorSpec spec)
    {
        var options = Bind(spec);
        check?.Invoke(options, spec);
        return factory(options, spec);
    }

    public override void Check(AnnotatorSpec spec)
    {
        if (check is null) base.Check(spec);
        else check(Bind(spec), spec);
    }

    private TOptions Bind(AnnotatorSpec spec)
    {
        try
        {
            return spec.Options.Deserialize<TOptions>(BindOptions) ?? new TOptions();
        }
        catch (JsonException e)
        {
            throw new AnnotatorConfigurationException($"options do not fit kind '{Name}': {e.Message}", e);
        }
    }
}
