using System.Text.Json.Serialization;

namespace Herald.Contracts;

/// <summary>Source-generated System.Text.Json metadata for the contract's records (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DocumentRecord))]
[JsonSerializable(typeof(Document))]
public sealed partial class ContractsJson : JsonSerializerContext;
