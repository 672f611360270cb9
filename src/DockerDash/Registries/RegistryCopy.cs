using System.Text.Json;
using DockerDash.Jobs;

namespace DockerDash.Registries;

/// <summary>
/// Copies an image (an index with all its children, or a single image) from one repository to another, in
/// the same registry or another: blobs the target has are skipped (HEAD), blobs of the same registry are
/// mounted, others are uploaded in chunks; manifests keep their bytes, so digests stay the same.
/// </summary>
public sealed class RegistryCopy(RegistryClient source, string sourceRepository, RegistryClient target, string targetRepository, bool sameRegistry, Job operation)
{
    public async Task<string> CopyAsync(string reference, string targetTag, CancellationToken cancellationToken)
    {
        var top = await source.ManifestAsync(sourceRepository, reference, cancellationToken);
        if (ManifestReader.IsIndex(top))
        {
            using var index = JsonDocument.Parse(top.Json);
            foreach (var child in index.RootElement.GetProperty("manifests").EnumerateArray())
            {
                // A child is named by digest only: a tag here would let a hostile index overwrite any tag of the target.
                var digest = RegistryNames.Digest(child.GetProperty("digest").GetString());
                await CopyImageAsync(await source.ManifestAsync(sourceRepository, digest, cancellationToken), digest, cancellationToken);
            }

            await target.PutManifestAsync(targetRepository, targetTag, top, cancellationToken);
        }
        else
        {
            await CopyImageAsync(top, targetTag, cancellationToken);
        }

        return top.Digest;
    }

    private async Task CopyImageAsync(ManifestDocument manifest, string reference, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(manifest.Json);
        var blobs = new List<(string Digest, long Size)>();
        if (doc.RootElement.TryGetProperty("config", out var config))
        {
            blobs.Add((RegistryNames.Digest(config.GetProperty("digest").GetString()), config.GetProperty("size").GetInt64()));
        }

        if (doc.RootElement.TryGetProperty("layers", out var layers))
        {
            blobs.AddRange(layers.EnumerateArray().Select(l => (RegistryNames.Digest(l.GetProperty("digest").GetString()), l.GetProperty("size").GetInt64())));
        }

        foreach (var (digest, size) in blobs)
        {
            await CopyBlobAsync(digest, size, cancellationToken);
        }

        await target.PutManifestAsync(targetRepository, reference, manifest, cancellationToken);
    }

    private async Task CopyBlobAsync(string digest, long size, CancellationToken cancellationToken)
    {
        var label = digest.Length > 19 ? digest[7..19] : digest;
        if (await target.HasBlobAsync(targetRepository, digest, $"repository:{targetRepository}:pull,push", cancellationToken))
        {
            operation.ReportLayer(label, "Layer already exists", size, size);
            return;
        }

        if (sameRegistry && await target.MountBlobAsync(targetRepository, sourceRepository, digest, cancellationToken))
        {
            operation.ReportLayer(label, "Mounted from " + sourceRepository, size, size);
            return;
        }

        using var blob = await source.OpenBlobAsync(sourceRepository, digest, cancellationToken);
        await using var content = await blob.Content.ReadAsStreamAsync(cancellationToken);
        await target.UploadBlobAsync(targetRepository, digest, content, sent => operation.ReportLayer(label, "Pushing", sent, size), cancellationToken);
        operation.ReportLayer(label, "Pushed", size, size);
    }
}
