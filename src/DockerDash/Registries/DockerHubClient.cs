using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using DockerDash.Operations;

namespace DockerDash.Registries;

/// <summary>A repository of a Docker Hub namespace.</summary>
public sealed record HubRepository(string Namespace, string Name, string? Description, long Stars, long Pulls, DateTimeOffset? LastUpdated, bool IsPrivate);

/// <summary>A tag of a Docker Hub repository, with one image per architecture.</summary>
public sealed record HubTag(string Name, string? Digest, long FullSize, DateTimeOffset? LastUpdated, IReadOnlyList<HubTagImage> Images);

public sealed record HubTagImage(string Platform, string? Digest, long Size);

public sealed record HubSearchHit(string Name, string? Description, long Stars, bool Official, long Pulls);

/// <summary>
/// Docker Hub's own REST API (not the registry API): a namespace's repositories, tags with their
/// per-architecture images, search, and login through its token endpoint. Pages are followed through
/// their <c>next</c> links. The address is configurable so it can be tested against a local server.
/// </summary>
public sealed class DockerHubClient(HttpClient http, Uri baseAddress, string? username, string? password)
{
    public static readonly Uri DefaultAddress = new("https://hub.docker.com/");

    private string? _token;

    /// <summary>Logs in (<c>POST /v2/users/login</c>) and keeps the token for the calls that follow.</summary>
    public async Task LoginAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(username))
        {
            return;
        }

        using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "/v2/users/login"), new { username, password }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new OperationFailedException("Docker Hub refused these credentials.", OperationFailure.Denied);
        }

        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        _token = (json.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null)
            ?? (json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new OperationFailedException("Docker Hub's login sent no token.", OperationFailure.Refused);
    }

    public async Task<IReadOnlyList<HubRepository>> RepositoriesAsync(string @namespace, CancellationToken cancellationToken) =>
        (await PagesAsync<RepositoryJson>($"/v2/namespaces/{Uri.EscapeDataString(RegistryNames.Component(@namespace))}/repositories?page_size=100", cancellationToken))
            .Select(r => new HubRepository(r.Namespace ?? @namespace, r.Name, r.Description, r.StarCount, r.PullCount, r.LastUpdated, r.IsPrivate)).ToList();

    public async Task<IReadOnlyList<HubTag>> TagsAsync(string @namespace, string repository, CancellationToken cancellationToken) =>
        (await PagesAsync<TagJson>($"/v2/namespaces/{Uri.EscapeDataString(RegistryNames.Component(@namespace))}/repositories/{Uri.EscapeDataString(RegistryNames.Component(repository))}/tags?page_size=100", cancellationToken))
            .Select(t => new HubTag(t.Name, t.Digest, t.FullSize, t.LastUpdated,
                (t.Images ?? []).Select(i => new HubTagImage($"{i.Os}/{i.Architecture}{(string.IsNullOrEmpty(i.Variant) ? "" : "/" + i.Variant)}", i.Digest, i.Size)).ToList()))
            .ToList();

    public async Task<IReadOnlyList<HubSearchHit>> SearchAsync(string query, CancellationToken cancellationToken) =>
        (await PagesAsync<SearchJson>($"/v2/search/repositories/?query={Uri.EscapeDataString(query)}&page_size=25", cancellationToken, maxPages: 1))
            .Select(s => new HubSearchHit(s.RepoName, s.ShortDescription, s.StarCount, s.IsOfficial, s.PullCount)).ToList();

    private async Task<List<T>> PagesAsync<T>(string first, CancellationToken cancellationToken, int maxPages = 100)
    {
        var items = new List<T>();
        Uri? next = new(baseAddress, first);
        for (var page = 0; next is not null && page < maxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (_token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new OperationFailedException($"Docker Hub has no {next.AbsolutePath} (or it is private and these credentials cannot see it).", OperationFailure.NotFound);
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new OperationFailedException("Docker Hub wants credentials for this (log in with a username and an access token).", OperationFailure.Denied);
            }

            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<Page<T>>(cancellationToken);
            items.AddRange(body?.Results ?? []);
            next = body?.Next is { Length: > 0 } link ? OnHub(new Uri(baseAddress, link)) : null;
        }

        return items;
    }

    /// <summary>A <c>next</c> link must stay on Docker Hub's own address: the login token goes nowhere else.</summary>
    private Uri OnHub(Uri next) =>
        string.Equals(next.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(next.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase) && next.Port == baseAddress.Port
            ? next
            : throw new OperationFailedException($"Docker Hub's next page pointed to {next.GetLeftPart(UriPartial.Authority)}, another host: not followed.", OperationFailure.Refused);

    private sealed record Page<T>([property: JsonPropertyName("next")] string? Next, [property: JsonPropertyName("results")] List<T>? Results);

    private sealed record RepositoryJson(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("namespace")] string? Namespace,
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("star_count")] long StarCount,
        [property: JsonPropertyName("pull_count")] long PullCount,
        [property: JsonPropertyName("last_updated")] DateTimeOffset? LastUpdated,
        [property: JsonPropertyName("is_private")] bool IsPrivate);

    private sealed record TagJson(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("digest")] string? Digest,
        [property: JsonPropertyName("full_size")] long FullSize,
        [property: JsonPropertyName("last_updated")] DateTimeOffset? LastUpdated,
        [property: JsonPropertyName("images")] List<TagImageJson>? Images);

    private sealed record TagImageJson(
        [property: JsonPropertyName("architecture")] string? Architecture,
        [property: JsonPropertyName("os")] string? Os,
        [property: JsonPropertyName("variant")] string? Variant,
        [property: JsonPropertyName("digest")] string? Digest,
        [property: JsonPropertyName("size")] long Size);

    private sealed record SearchJson(
        [property: JsonPropertyName("repo_name")] string RepoName,
        [property: JsonPropertyName("short_description")] string? ShortDescription,
        [property: JsonPropertyName("star_count")] long StarCount,
        [property: JsonPropertyName("is_official")] bool IsOfficial,
        [property: JsonPropertyName("pull_count")] long PullCount);
}
