using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DockerDash.Operations;

namespace DockerDash.Registries;

/// <summary>
/// The distribution (OCI) API of one registry, from the server: anonymous, basic or bearer-token
/// authentication as the registry's challenges ask (a token per scope, reused until it expires), the full
/// Accept set for manifests and indexes, <c>Link</c> pagination. Refusals become sentences that say what
/// permission is missing.
/// </summary>
public sealed class RegistryClient(HttpClient http, Uri baseAddress, string? username, string? secret, TimeProvider time)
{
    /// <summary>Every manifest and index kind, OCI and Docker: a registry answers in one of these.</summary>
    public const string ManifestAccept =
        "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
        + "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, "
        + "application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.5";

    private readonly ConcurrentDictionary<string, (string Header, DateTimeOffset Expires)> _tokens = new();
    private string? _basic;

    private bool HasCredentials => !string.IsNullOrEmpty(username);

    public async Task<RegistryStatus> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "/v2/"), cancellationToken);
            var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
            var scheme = challenge?.Scheme ?? "none";
            if (response.IsSuccessStatusCode)
            {
                return new RegistryStatus(true, (int)response.StatusCode, "none", "Up; no authentication needed.");
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return new RegistryStatus(true, (int)response.StatusCode, scheme, $"It answered {(int)response.StatusCode} {response.ReasonPhrase} at /v2/: is this a registry?");
            }

            // Authenticated ping: do these credentials work?
            using var again = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/v2/")), null, cancellationToken);
            return new RegistryStatus(true, (int)again.StatusCode, scheme, $"Up; {scheme} authentication{(HasCredentials ? " with the saved credentials" : "")} works.");
        }
        catch (EngineOperationException e) when (e.Failure is EngineFailure.Refused or EngineFailure.Denied)
        {
            return new RegistryStatus(true, 401, "unknown", e.Message);
        }
        catch (HttpRequestException e)
        {
            return new RegistryStatus(false, null, "unknown", $"Cannot reach {baseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RegistryStatus(false, null, "unknown", $"{baseAddress} did not answer in time.");
        }
    }

    /// <summary>Every repository, following <c>Link</c> pages to the end.</summary>
    public Task<List<string>> CatalogAsync(CancellationToken cancellationToken) =>
        PagedNamesAsync("/v2/_catalog?n=1000", "repositories", "registry:catalog:*", cancellationToken);

    /// <summary>Every tag of a repository (distribution 2.8 sends them all at once; an OCI registry may page them).</summary>
    public Task<List<string>> TagsAsync(string repository, CancellationToken cancellationToken) =>
        PagedNamesAsync($"/v2/{repository}/tags/list?n=1000", "tags", Pull(repository), cancellationToken);

    public async Task<ManifestDocument> ManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Accepting(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}"), Pull(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeIn(json);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var digests) ? digests.First() : Sha256(json);
        return new ManifestDocument(digest, mediaType, Encoding.UTF8.GetByteCount(json), json);
    }

    /// <summary>The digest a tag points at, by HEAD (no manifest transferred).</summary>
    public async Task<string> DigestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Accepting(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}"), Pull(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var digests)
            ? digests.First()
            : (await ManifestAsync(repository, reference, cancellationToken)).Digest;
    }

    public async Task<JsonDocument> BlobJsonAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"/v2/{repository}/blobs/{digest}")), Pull(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}@{digest}", cancellationToken);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>A blob's bytes, streamed (the caller disposes the response).</summary>
    public async Task<HttpResponseMessage> OpenBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"/v2/{repository}/blobs/{digest}")), Pull(repository), cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        try
        {
            await ThrowIfFailedAsync(response, $"{repository}@{digest}", cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Deletes a manifest by digest (and with it every tag pointing at it).</summary>
    public async Task DeleteManifestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, new Uri(baseAddress, $"/v2/{repository}/manifests/{digest}")), $"repository:{repository}:delete", cancellationToken);
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            throw new EngineOperationException("Deletion is disabled on this registry (storage.delete.enabled).", EngineFailure.Refused);
        }

        await ThrowIfFailedAsync(response, $"{repository}@{digest}", cancellationToken);
    }

    /// <summary>Whether the repository has the blob already (then nothing is sent).</summary>
    public async Task<bool> HasBlobAsync(string repository, string digest, string scope, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, new Uri(baseAddress, $"/v2/{repository}/blobs/{digest}")), scope, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Links a blob of another repository of this registry into <paramref name="repository"/>; false when the registry would rather have it uploaded.</summary>
    public async Task<bool> MountBlobAsync(string repository, string from, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, $"/v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(from)}")),
            $"repository:{repository}:pull,push repository:{from}:pull", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            // The registry opened an upload instead: cancel it, the caller uploads.
            if (response.Headers.Location is { } location)
            {
                using var cancel = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Absolute(location)), Push(repository), cancellationToken);
            }

            return false;
        }

        await ThrowIfFailedAsync(response, $"mount of {digest} into {repository}", cancellationToken);
        return false;
    }

    /// <summary>Uploads a blob in chunks (POST, then PATCH with Content-Range, then PUT with the digest); memory holds one chunk.</summary>
    public async Task UploadBlobAsync(string repository, string digest, Stream content, Action<long> progress, CancellationToken cancellationToken, int chunkSize = 8 * 1024 * 1024)
    {
        var scope = Push(repository);
        using var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, $"/v2/{repository}/blobs/uploads/")), scope, cancellationToken);
        await ThrowIfFailedAsync(start, $"an upload to {repository}", cancellationToken);
        var location = Absolute(start.Headers.Location ?? throw new EngineOperationException("The registry opened an upload without saying where.", EngineFailure.Refused));
        var buffer = new byte[chunkSize];
        long sent = 0;
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            var chunkAt = location;
            var from = sent;
            var length = filled;
            using var patch = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, chunkAt) { Content = new ByteArrayContent(buffer, 0, length) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + length - 1}");
                return request;
            }, scope, cancellationToken);
            await ThrowIfFailedAsync(patch, $"a chunk of {digest}", cancellationToken);
            location = patch.Headers.Location is { } next ? Absolute(next) : location;
            sent += filled;
            progress(sent);
        }

        var done = location;
        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, new Uri(done + (done.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest))) { Content = new ByteArrayContent([]) }, scope, cancellationToken);
        await ThrowIfFailedAsync(put, $"the end of {digest}'s upload", cancellationToken);
    }

    /// <summary>Puts a manifest or index as it is (bytes and media type unchanged, so its digest stays).</summary>
    public async Task PutManifestAsync(string repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseAddress, $"/v2/{repository}/manifests/{reference}")) { Content = new StringContent(manifest.Json, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, Push(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
    }

    private Uri Absolute(Uri location) => location.IsAbsoluteUri && location.Scheme.StartsWith("http", StringComparison.Ordinal) ? location : new Uri(baseAddress, location.OriginalString);

    private static string Push(string repository) => $"repository:{repository}:pull,push";

    private static string Pull(string repository) => $"repository:{repository}:pull";

    private HttpRequestMessage Accepting(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.TryAddWithoutValidation("Accept", ManifestAccept);
        return request;
    }

    private async Task<List<string>> PagedNamesAsync(string first, string property, string scope, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var next = first; next is not null;)
        {
            var path = next;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path)), scope, cancellationToken);
            await ThrowIfFailedAsync(response, path, cancellationToken);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (json.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var name in list.EnumerateArray().Select(n => n.GetString()).OfType<string>())
                {
                    if (seen.Add(name))
                    {
                        names.Add(name);
                    }
                }
            }

            next = NextPage(response);
        }

        return names;
    }

    /// <summary>The <c>Link: &lt;/v2/...&gt;; rel="next"</c> of a paged answer.</summary>
    public static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && (link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) || link.Contains("rel=next", StringComparison.OrdinalIgnoreCase)))
            {
                var target = link[(open + 1)..close];
                // On Linux "/v2/..." parses as an absolute file: URI, so only http(s) counts as absolute here.
                return target.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(target, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : target;
            }
        }

        return null;
    }

    /// <summary>Sends a request, answering the registry's challenge (basic, or a bearer token for <paramref name="scope"/>) when it asks.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, string? scope, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var key = scope ?? "";
        using var first = make();
        if (_tokens.TryGetValue(key, out var cached) && cached.Expires > time.GetUtcNow())
        {
            first.Headers.Authorization = AuthenticationHeaderValue.Parse(cached.Header);
        }
        else if (_basic is not null)
        {
            first.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
        }

        var response = await http.SendAsync(first, completion, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        response.Dispose();
        string header;
        if (challenge is { IsBearer: true })
        {
            var (token, expires) = await TokenAsync(challenge, challenge.Scope ?? scope, cancellationToken);
            header = "Bearer " + token;
            _tokens[key] = (header, expires);
        }
        else if (challenge is { IsBasic: true } && HasCredentials)
        {
            _basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}"));
            header = "Basic " + _basic;
        }
        else
        {
            throw new EngineOperationException(HasCredentials
                ? "The registry refused these credentials (401)."
                : "This registry needs credentials: edit it and add a username and password or token.", EngineFailure.Denied);
        }

        using var second = make();
        second.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        var retried = await http.SendAsync(second, completion, cancellationToken);
        if (retried.StatusCode == HttpStatusCode.Unauthorized)
        {
            var refusal = AuthChallenge.Parse(retried.Headers.WwwAuthenticate.ToString());
            retried.Dispose();
            _tokens.TryRemove(key, out _);
            throw new EngineOperationException(refusal?.Error switch
            {
                "insufficient_scope" => $"These credentials lack the permission {refusal.Scope ?? scope} on this registry.",
                "invalid_token" => "The registry did not accept the token its token service gave (expired, or signed by a key it does not trust).",
                _ => HasCredentials ? "The registry refused these credentials (401)." : "This registry needs credentials: edit it and add a username and password or token.",
            }, EngineFailure.Denied);
        }

        return retried;
    }

    /// <summary>A bearer token from the challenge's realm for <paramref name="scope"/> (with the saved credentials, if any).</summary>
    private async Task<(string Token, DateTimeOffset Expires)> TokenAsync(AuthChallenge challenge, string? scope, CancellationToken cancellationToken)
    {
        if (challenge.Realm is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new EngineOperationException("The registry asked for a token but named no token service (realm).", EngineFailure.Refused);
        }

        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        foreach (var one in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add("scope=" + Uri.EscapeDataString(one));
        }

        var separator = realmUri.Query.Length > 0 ? "&" : "?";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realmUri + (query.Count > 0 ? separator + string.Join('&', query) : "")));
        if (HasCredentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new EngineOperationException(HasCredentials ? "The registry's token service refused these credentials." : "The registry's token service wants credentials: edit the registry and add them.", EngineFailure.Denied);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new EngineOperationException($"The registry's token service answered {(int)response.StatusCode} {response.ReasonPhrase}.", EngineFailure.Refused);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null) ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new EngineOperationException("The registry's token service sent no token.", EngineFailure.Refused);
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
        var issued = root.TryGetProperty("issued_at", out var i) && i.TryGetDateTimeOffset(out var at) ? at : time.GetUtcNow();
        return (token, issued.AddSeconds(lifetime - 5));
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = RegistryErrors(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new EngineOperationException($"{what}: {detail}", EngineFailure.NotFound),
            HttpStatusCode.Forbidden => new EngineOperationException($"The registry forbids this ({what}): {detail}", EngineFailure.Denied),
            _ => new EngineOperationException($"The registry refused {what}: {detail}", EngineFailure.Refused),
        };
    }

    /// <summary>The registry's own error messages: <c>{"errors":[{"code":..., "message":...}]}</c>.</summary>
    private static string? RegistryErrors(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? string.Join("; ", errors.EnumerateArray().Select(e => e.TryGetProperty("message", out var m) ? m.GetString() : e.GetProperty("code").GetString()))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string MediaTypeIn(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "";
    }

    private static string Sha256(string json) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
