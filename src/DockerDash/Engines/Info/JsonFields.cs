using System.Text.Json;

namespace DockerDash.Engines.Info;

/// <summary>Reading the engine's own JSON (<c>/info</c>, <c>/system/df</c>) field by field, with what is absent or of another type read as empty.</summary>
internal static class JsonFields
{
    public static string? Text(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long Long(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;

    public static int Int(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;

    public static bool Flag(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static List<JsonElement> Items(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];
}
