using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DockerDash.Testing;

/// <summary>
/// Arranges content in a test registry straight through the distribution API (as a registry client
/// would): blob uploads, cross-repository mounts, manifests and indexes. Not DockerDash code under test.
/// </summary>
public sealed class RegistryPusher : IDisposable
{
    private static readonly string[] ShellCmd = ["sh"];
    private readonly HttpClient _http;

    public RegistryPusher(string host, string? user = null, string? password = null)
        : this(host, user is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))))
    {
    }

    private RegistryPusher(string host, AuthenticationHeaderValue? authorization)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://{host}/") };
        _http.DefaultRequestHeaders.Authorization = authorization;
    }

    /// <summary>For a token-auth registry: every request carries <paramref name="token"/>.</summary>
    public static RegistryPusher WithToken(string host, string token) => new(host, new AuthenticationHeaderValue("Bearer", token));

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Uploads a blob (POST then PUT with the digest); returns its digest.</summary>
    public async Task<string> BlobAsync(string repository, byte[] content)
    {
        var digest = Digest(content);
        using var start = await _http.PostAsync(new Uri($"v2/{repository}/blobs/uploads/", UriKind.Relative), null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location);
        var separator = target.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await _http.PutAsync(new Uri(target + separator + "digest=" + Uri.EscapeDataString(digest)), body);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    /// <summary>Links a blob another repository has into <paramref name="repository"/>.</summary>
    public async Task MountAsync(string repository, string from, string digest)
    {
        using var mount = await _http.PostAsync(new Uri($"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(from)}", UriKind.Relative), null);
        if (mount.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"mount of {digest} into {repository} answered {(int)mount.StatusCode}");
        }
    }

    /// <summary>Puts a manifest or index under a tag (or digest); returns its digest.</summary>
    public async Task<string> ManifestAsync(string repository, string reference, string mediaType, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await _http.PutAsync(new Uri($"v2/{repository}/manifests/{reference}", UriKind.Relative), body);
        if (!put.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"manifest {repository}:{reference} answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        }

        return Digest(bytes);
    }

    /// <summary>A small image: one layer of <paramref name="layer"/> bytes, a config for <paramref name="architecture"/>. Returns (manifest json, digest, size).</summary>
    public async Task<(string Json, string Digest, int Size)> ImageAsync(string repository, string architecture, string layer, string? tag = null)
    {
        var layerBytes = Encoding.UTF8.GetBytes(layer);
        var layerDigest = await BlobAsync(repository, layerBytes);
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture,
            os = "linux",
            created = "2026-11-27T12:00:00Z",
            config = new { Env = new[] { "PATH=/bin", $"ARCH={architecture}" }, Cmd = ShellCmd, Labels = new Dictionary<string, string> { ["team"] = "dockerdash" }, ExposedPorts = new Dictionary<string, object> { ["8080/tcp"] = new { } } },
            rootfs = new { type = "layers", diff_ids = new[] { layerDigest } },
            history = new[] { new { created = "2026-11-27T12:00:00Z", created_by = $"COPY {architecture} /" } },
        });
        var configDigest = await BlobAsync(repository, config);
        var manifest = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layerBytes.Length } },
        });
        var digest = await ManifestAsync(repository, tag ?? Digest(Encoding.UTF8.GetBytes(manifest)), "application/vnd.oci.image.manifest.v1+json", manifest);
        return (manifest, digest, Encoding.UTF8.GetByteCount(manifest));
    }

    public void Dispose() => _http.Dispose();
}
