using System.Text.Json;
using DockerDash.Operations;

namespace DockerDash.Registries;

/// <summary>Reads what a tag points at into a <see cref="TagDetail"/>: an index (one image per platform) or a single image.</summary>
public static class ManifestReader
{
    private static readonly HashSet<string> IndexTypes = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

    public static bool IsIndex(ManifestDocument manifest) =>
        IndexTypes.Contains(manifest.MediaType) || (manifest.MediaType.Length == 0 && manifest.Json.Contains("\"manifests\"", StringComparison.Ordinal));

    public static async Task<TagDetail> ReadAsync(RegistryClient client, string host, string repository, string tag, string pullTool, CancellationToken cancellationToken)
    {
        var manifest = await client.ManifestAsync(repository, tag, cancellationToken);
        var pull = $"{pullTool} pull {host}/{repository}:{tag}";
        if (!IsIndex(manifest))
        {
            var image = await ImageAsync(client, repository, manifest, cancellationToken);
            return new TagDetail(repository, tag, manifest.Digest, manifest.MediaType, image.TotalSize, image, [], pull);
        }

        using var index = JsonDocument.Parse(manifest.Json);
        var platforms = new List<PlatformImage>();
        long total = 0;
        foreach (var entry in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (IsAttestation(entry))
            {
                continue;
            }

            var digest = entry.GetProperty("digest").GetString()!;
            var platform = PlatformOf(entry);
            try
            {
                var child = await client.ManifestAsync(repository, digest, cancellationToken);
                var image = await ImageAsync(client, repository, child, cancellationToken);
                total += image.TotalSize;
                platforms.Add(new PlatformImage(platform, digest, image, null));
            }
            catch (OperationFailedException e) when (e.Failure == OperationFailure.NotFound)
            {
                platforms.Add(new PlatformImage(platform, digest, null, "This platform's manifest is not in the registry."));
            }
        }

        return new TagDetail(repository, tag, manifest.Digest, manifest.MediaType, total, null, platforms, pull);
    }

    /// <summary>Build attestations ride in indexes as <c>unknown/unknown</c> entries marked <c>vnd.docker.reference.type: attestation-manifest</c>.</summary>
    private static bool IsAttestation(JsonElement entry) =>
        (entry.TryGetProperty("annotations", out var a) && a.TryGetProperty("vnd.docker.reference.type", out var type) && type.GetString() == "attestation-manifest")
        || PlatformOf(entry) == "unknown/unknown";

    private static string PlatformOf(JsonElement entry)
    {
        if (!entry.TryGetProperty("platform", out var p))
        {
            return "unknown/unknown";
        }

        var os = p.TryGetProperty("os", out var o) ? o.GetString() : "unknown";
        var arch = p.TryGetProperty("architecture", out var ar) ? ar.GetString() : "unknown";
        var variant = p.TryGetProperty("variant", out var v) ? "/" + v.GetString() : "";
        return $"{os}/{arch}{variant}";
    }

    private static async Task<ImageManifestDetail> ImageAsync(RegistryClient client, string repository, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(manifest.Json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("config", out var configRef))
        {
            throw new OperationFailedException($"{repository}@{manifest.Digest} is a {manifest.MediaType} manifest, which has no image config to read.", OperationFailure.Refused);
        }

        var layers = root.TryGetProperty("layers", out var l)
            ? l.EnumerateArray().Select(x => new LayerInfo(x.GetProperty("digest").GetString()!, x.TryGetProperty("mediaType", out var mt) ? mt.GetString() ?? "" : "", x.GetProperty("size").GetInt64())).ToList()
            : [];
        using var config = await client.BlobJsonAsync(repository, configRef.GetProperty("digest").GetString()!, cancellationToken);
        var c = config.RootElement;
        var settings = c.TryGetProperty("config", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        return new ImageManifestDetail(
            manifest.Digest, manifest.MediaType, layers.Sum(x => x.Size) + configRef.GetProperty("size").GetInt64(),
            c.TryGetProperty("created", out var created) && created.TryGetDateTimeOffset(out var at) ? at : null,
            Text(c, "architecture"), Text(c, "os"),
            Strings(settings, "Env"), Strings(settings, "Entrypoint"), Strings(settings, "Cmd"),
            settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                ? labels.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString() ?? "")
                : new Dictionary<string, string>(),
            settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty("ExposedPorts", out var ports) && ports.ValueKind == JsonValueKind.Object
                ? ports.EnumerateObject().Select(x => x.Name).ToList()
                : [],
            layers,
            c.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array
                ? history.EnumerateArray().Select(h => new HistoryStep(
                    h.TryGetProperty("created", out var hc) && hc.TryGetDateTimeOffset(out var hat) ? hat : null,
                    Text(h, "created_by") ?? "", h.TryGetProperty("empty_layer", out var empty) && empty.GetBoolean(), Text(h, "comment"))).ToList()
                : []);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : [];
}
