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
        catch (OperationFailedException e) when (e.Failure is OperationFailure.Refused or OperationFailure.Denied)
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
        PagedNamesAsync(Own(new Uri(baseAddress, "/v2/_catalog?n=1000")), "repositories", "registry:catalog:*", cancellationToken);

    /// <summary>Every tag of a repository (distribution 2.8 sends them all at once; an OCI registry may page them).</summary>
    public Task<List<string>> TagsAsync(string repository, CancellationToken cancellationToken) =>
        PagedNamesAsync(Api(repository, "tags/list?n=1000"), "tags", Pull(repository), cancellationToken);

    public async Task<ManifestDocument> ManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Accepting(HttpMethod.Get, Manifest(repository, reference)), Pull(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var json = Encoding.UTF8.GetString(bytes);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeIn(json);
        var said = response.Headers.TryGetValues("Docker-Content-Digest", out var digests) ? digests.First() : null;
        if (mediaType == SignedSchema1)
        {
            // Schema 1's digest covers the payload without its signatures: only the registry can say it.
            return new ManifestDocument(said ?? Sha256(bytes), mediaType, bytes.Length, json);
        }

        var digest = Sha256(bytes);
        foreach (var expected in new[] { reference, said }.Where(d => d is not null && d.StartsWith("sha256:", StringComparison.Ordinal)))
        {
            if (expected != digest)
            {
                throw new OperationFailedException(
                    $"The registry sent a manifest for {repository}@{expected} whose sha256 is {digest}: refused (altered or corrupt).", OperationFailure.Refused);
            }
        }

        return new ManifestDocument(digest, mediaType, bytes.Length, json);
    }

    /// <summary>The digest a tag points at, by HEAD (no manifest transferred).</summary>
    public async Task<string> DigestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Accepting(HttpMethod.Head, Manifest(repository, reference)), Pull(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var digests)
            ? digests.First()
            : (await ManifestAsync(repository, reference, cancellationToken)).Digest;
    }

    public async Task<JsonDocument> BlobJsonAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Blob(repository, digest)), Pull(repository), cancellationToken, crossHostRedirect: true);
        await ThrowIfFailedAsync(response, $"{repository}@{digest}", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        ThrowIfAltered(digest, Sha256(bytes), repository);
        return JsonDocument.Parse(bytes);
    }

    /// <summary>A blob's bytes, streamed (the caller disposes the response).</summary>
    public async Task<HttpResponseMessage> OpenBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Blob(repository, digest)), Pull(repository), cancellationToken, HttpCompletionOption.ResponseHeadersRead, crossHostRedirect: true);
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
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Api(repository, "manifests/" + RegistryNames.Digest(digest))), $"repository:{repository}:delete", cancellationToken);
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            throw new OperationFailedException("Deletion is disabled on this registry (storage.delete.enabled).", OperationFailure.Refused);
        }

        await ThrowIfFailedAsync(response, $"{repository}@{digest}", cancellationToken);
    }

    /// <summary>Whether the repository has the blob already (then nothing is sent).</summary>
    public async Task<bool> HasBlobAsync(string repository, string digest, string scope, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Blob(repository, digest)), scope, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Links a blob of another repository of this registry into <paramref name="repository"/>; false when the registry would rather have it uploaded.</summary>
    public async Task<bool> MountBlobAsync(string repository, string from, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Api(repository, $"blobs/uploads/?mount={Uri.EscapeDataString(RegistryNames.Digest(digest))}&from={Uri.EscapeDataString(RegistryNames.Repository(from))}")),
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
        using var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Api(repository, "blobs/uploads/")), scope, cancellationToken);
        await ThrowIfFailedAsync(start, $"an upload to {repository}", cancellationToken);
        var location = Absolute(start.Headers.Location ?? throw new OperationFailedException("The registry opened an upload without saying where.", OperationFailure.Refused));
        var buffer = new byte[chunkSize];
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
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

            hash.AppendData(buffer, 0, filled);
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

        var copied = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (digest.StartsWith("sha256:", StringComparison.Ordinal) && copied != digest)
        {
            using var cancel = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, location), scope, cancellationToken);
            ThrowIfAltered(digest, copied, repository);
        }

        var done = location;
        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, new Uri(done + (done.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(RegistryNames.Digest(digest)))) { Content = new ByteArrayContent([]) }, scope, cancellationToken);
        await ThrowIfFailedAsync(put, $"the end of {digest}'s upload", cancellationToken);
    }

    /// <summary>Puts a manifest or index as it is (bytes and media type unchanged, so its digest stays).</summary>
    public async Task PutManifestAsync(string repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, Manifest(repository, reference)) { Content = new StringContent(manifest.Json, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        }, Push(repository), cancellationToken);
        await ThrowIfFailedAsync(response, $"{repository}:{reference}", cancellationToken);
    }

    /// <summary>A <c>Location</c> the registry sent: it must stay on the registry's own host, under <c>/v2/</c>.</summary>
    private Uri Absolute(Uri location) =>
        Own(location.IsAbsoluteUri && location.Scheme.StartsWith("http", StringComparison.Ordinal) ? location : new Uri(baseAddress, location.OriginalString));

    /// <summary><c>/v2/REPOSITORY/REST</c>, the repository checked against the grammar and each of its parts escaped.</summary>
    private Uri Api(string repository, string rest) =>
        Own(new Uri(baseAddress, "/v2/" + string.Join('/', RegistryNames.Repository(repository).Split('/').Select(Uri.EscapeDataString)) + "/" + rest));

    private Uri Manifest(string repository, string reference) => Api(repository, "manifests/" + Uri.EscapeDataString(RegistryNames.Reference(reference)));

    private Uri Blob(string repository, string digest) => Api(repository, "blobs/" + Uri.EscapeDataString(RegistryNames.Digest(digest)));

    /// <summary>The last check before a request with this registry's credentials: same scheme, host and port, path under <c>/v2/</c>.</summary>
    private Uri Own(Uri uri) => IsOwn(uri) && uri.AbsolutePath.StartsWith("/v2/", StringComparison.Ordinal)
        ? uri
        : throw new OperationFailedException(
            $"The registry pointed to {uri.GetLeftPart(UriPartial.Path)}, outside its own address {baseAddress.GetLeftPart(UriPartial.Authority)}/v2/: refused, so its credentials go nowhere else.",
            OperationFailure.Refused);

    private bool IsOwn(Uri uri) =>
        uri.IsAbsoluteUri && string.Equals(uri.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == baseAddress.Port;

    private static string Push(string repository) => $"repository:{repository}:pull,push";

    private static string Pull(string repository) => $"repository:{repository}:pull";

    private static HttpRequestMessage Accepting(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Accept", ManifestAccept);
        return request;
    }

    /// <summary>At most this many pages of a catalog or tag list (a million names with pages of 1,000).</summary>
    public const int MaxPages = 1_000;

    private async Task<List<string>> PagedNamesAsync(Uri first, string property, string scope, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<Uri>();
        for (Uri? next = first; next is not null;)
        {
            var page = next;
            if (!visited.Add(page) || visited.Count > MaxPages)
            {
                throw new OperationFailedException(visited.Count > MaxPages
                    ? $"The registry's list goes on past {MaxPages} pages: stopped there."
                    : "The registry's next page link points back to a page already read: stopped there.", OperationFailure.Refused);
            }

            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, page), scope, cancellationToken);
            await ThrowIfFailedAsync(response, page.PathAndQuery, cancellationToken);
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

            next = NextPage(response) is { } link ? Own(new Uri(baseAddress, link)) : null;
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
                // Relative or absolute; an absolute one to another host is refused by the caller (Own).
                return target;
            }
        }

        return null;
    }

    /// <summary>Sends a request, answering the registry's challenge (basic, or a bearer token for <paramref name="scope"/>) when it asks.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, string? scope, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool crossHostRedirect = false)
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

        var response = await SendFollowingAsync(first, completion, crossHostRedirect, cancellationToken);
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
            throw new OperationFailedException(HasCredentials
                ? "The registry refused these credentials (401)."
                : "This registry needs credentials: edit it and add a username and password or token.", OperationFailure.Denied);
        }

        using var second = make();
        second.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        var retried = await SendFollowingAsync(second, completion, crossHostRedirect, cancellationToken);
        if (retried.StatusCode == HttpStatusCode.Unauthorized)
        {
            var refusal = AuthChallenge.Parse(retried.Headers.WwwAuthenticate.ToString());
            retried.Dispose();
            _tokens.TryRemove(key, out _);
            throw new OperationFailedException(refusal?.Error switch
            {
                "insufficient_scope" => $"These credentials lack the permission {refusal.Scope ?? scope} on this registry.",
                "invalid_token" => "The registry did not accept the token its token service gave (expired, or signed by a key it does not trust).",
                _ => HasCredentials ? "The registry refused these credentials (401)." : "This registry needs credentials: edit it and add a username and password or token.",
            }, OperationFailure.Denied);
        }

        return retried;
    }

    private const int MaxRedirects = 5;

    /// <summary>
    /// Sends once, following redirects of a GET or HEAD itself: on the registry's own host with the same
    /// credentials; to another host only where <paramref name="crossHostRedirect"/> allows it (blob downloads
    /// from storage or a CDN) and then without any credentials. Any other redirect is refused.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingAsync(HttpRequestMessage request, HttpCompletionOption completion, bool crossHostRedirect, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, completion, cancellationToken);
        var current = request;
        for (var hops = 0; (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; hops++)
        {
            var target = location.IsAbsoluteUri && location.Scheme.StartsWith("http", StringComparison.Ordinal) ? location : new Uri(current.RequestUri!, location.OriginalString);
            response.Dispose();
            var own = IsOwn(target);
            if (hops == MaxRedirects || !(current.Method == HttpMethod.Get || current.Method == HttpMethod.Head) || !(own || crossHostRedirect))
            {
                throw new OperationFailedException(hops == MaxRedirects
                    ? $"The registry redirected more than {MaxRedirects} times: stopped."
                    : $"The registry redirected to {target.GetLeftPart(UriPartial.Authority)}, which is not its own address: not followed.", OperationFailure.Refused);
            }

            var next = new HttpRequestMessage(current.Method, target);
            foreach (var header in current.Headers.Where(h => own || h.Key != "Authorization"))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (current != request)
            {
                current.Dispose();
            }

            current = next;
            response = await http.SendAsync(next, completion, cancellationToken);
        }

        if (current != request)
        {
            current.Dispose();
        }

        return response;
    }

    /// <summary>
    /// Whether the saved credentials may go to the token service at <paramref name="realm"/>: over https, or over
    /// plain http only where the registry itself is plain http on the same host.
    /// </summary>
    private bool MaySendCredentialsTo(Uri realm) =>
        realm.Scheme == Uri.UriSchemeHttps
        || (realm.Scheme == Uri.UriSchemeHttp && baseAddress.Scheme == Uri.UriSchemeHttp && string.Equals(realm.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase));

    /// <summary>A bearer token from the challenge's realm for <paramref name="scope"/> (with the saved credentials, if any).</summary>
    private async Task<(string Token, DateTimeOffset Expires)> TokenAsync(AuthChallenge challenge, string? scope, CancellationToken cancellationToken)
    {
        if (challenge.Realm is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("http" or "https"))
        {
            throw new OperationFailedException("The registry asked for a token but named no token service (realm).", OperationFailure.Refused);
        }

        if (HasCredentials && !MaySendCredentialsTo(realmUri))
        {
            throw new OperationFailedException(
                $"The registry's token service {realmUri.GetLeftPart(UriPartial.Authority)} is plain http on another host: the saved credentials are not sent there.", OperationFailure.Refused);
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
            throw new OperationFailedException(HasCredentials ? "The registry's token service refused these credentials." : "The registry's token service wants credentials: edit the registry and add them.", OperationFailure.Denied);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new OperationFailedException($"The registry's token service answered {(int)response.StatusCode} {response.ReasonPhrase}.", OperationFailure.Refused);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null) ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new OperationFailedException("The registry's token service sent no token.", OperationFailure.Refused);
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
        var issued = root.TryGetProperty("issued_at", out var i) && i.TryGetDateTimeOffset(out var at) ? at : time.GetUtcNow();
        return (token, issued.AddSeconds(lifetime - 5));
    }

    /// <summary>Stops with a message when content's sha256 is not the digest it was asked or sent for.</summary>
    private static void ThrowIfAltered(string expected, string actual, string repository)
    {
        if (expected.StartsWith("sha256:", StringComparison.Ordinal) && expected != actual)
        {
            throw new OperationFailedException($"The content of {repository}@{expected} has the sha256 {actual}: refused (altered or corrupt).", OperationFailure.Refused);
        }
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
            HttpStatusCode.NotFound => new OperationFailedException($"{what}: {detail}", OperationFailure.NotFound),
            HttpStatusCode.TooManyRequests => new RegistryRateLimitedException(what, response.Headers.RetryAfter is { } retry
                ? retry.Delta ?? (retry.Date - DateTimeOffset.UtcNow)
                : null),
            HttpStatusCode.Forbidden => new OperationFailedException($"The registry forbids this ({what}): {detail}", OperationFailure.Denied),
            _ => new OperationFailedException($"The registry refused {what}: {detail}", OperationFailure.Refused),
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

    private const string SignedSchema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}

/// <summary>The registry answered 429: it limits how often it is asked; <see cref="RetryAfter"/> is when it said to come back, if it did.</summary>
public sealed class RegistryRateLimitedException(string what, TimeSpan? retryAfter)
    : OperationFailedException($"The registry limits requests and refused {what} (429){(retryAfter is { } after ? $"; it asks to wait {Math.Ceiling(after.TotalSeconds)} s" : "")}.", OperationFailure.Refused)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
