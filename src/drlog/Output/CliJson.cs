using System.Text.Json.Serialization;

namespace DrLog.Output;

/// <summary>The types the CLI serializes whole, with source-generated serializers (no reflection, so Native AOT works).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class CliJson : JsonSerializerContext;
