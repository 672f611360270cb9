namespace DockerDash.Registries;

public enum RegistryKind
{
    /// <summary>Any registry speaking the distribution (OCI) API at <c>/v2/</c>.</summary>
    Distribution,

    /// <summary>Docker Hub: its own REST API (at <see cref="RegistryEntry.Url"/>) lists a namespace's repositories and tags; manifests come from its registry.</summary>
    DockerHub,
}

/// <summary>A registry the users added. The secret is stored encrypted (ASP.NET Data Protection) and never leaves the server.</summary>
public sealed class RegistryEntry
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Where the registry answers, e.g. <c>https://registry.example.com</c> or <c>http://127.0.0.1:5000</c>.</summary>
    public string Url { get; set; } = "";

    public RegistryKind Kind { get; set; }

    public string? Username { get; set; }

    /// <summary>The password or token, protected; null when none is saved.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>For Docker Hub: the namespace (user or organisation) whose repositories are listed.</summary>
    public string? Namespace { get; set; }

    /// <summary>What pull commands on its pages start with: docker, podman or nerdctl.</summary>
    public string PullTool { get; set; } = "docker";

    /// <summary>The registry's host as image references name it (<c>registry.example.com</c>, <c>127.0.0.1:5000</c>; Docker Hub: <c>docker.io</c>).</summary>
    public string Host => Kind == RegistryKind.DockerHub ? "docker.io" : new Uri(Url).Authority;

    /// <summary>Where the distribution API answers (Docker Hub's registry is not at its REST API's address).</summary>
    public string RegistryUrl => Kind == RegistryKind.DockerHub ? "https://registry-1.docker.io" : Url;
}

/// <summary>What <c>GET /v2/</c> said: up or not, and the authentication it asks for.</summary>
public sealed record RegistryStatus(bool Reachable, int? StatusCode, string AuthScheme, string Message);

/// <summary>A manifest as the registry serves it: its digest, media type, size and raw JSON.</summary>
public sealed record ManifestDocument(string Digest, string MediaType, long Size, string Json);

/// <summary>One platform of an image: its manifest (null when the registry does not have it: shown, not fatal).</summary>
public sealed record PlatformImage(string Platform, string Digest, ImageManifestDetail? Detail, string? Problem);

/// <summary>A single image: its config, layers and history.</summary>
public sealed record ImageManifestDetail(
    string Digest, string MediaType, long TotalSize, DateTimeOffset? Created, string? Architecture, string? Os,
    IReadOnlyList<string> Env, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<LayerInfo> Layers, IReadOnlyList<HistoryStep> History);

public sealed record LayerInfo(string Digest, string MediaType, long Size);

public sealed record HistoryStep(DateTimeOffset? Created, string CreatedBy, bool EmptyLayer, string? Comment);

/// <summary>What a tag points at: one image, or an index with one image per platform.</summary>
public sealed record TagDetail(string Repository, string Tag, string Digest, string MediaType, long TotalSize, ImageManifestDetail? Image, IReadOnlyList<PlatformImage> Platforms, string PullCommand);

/// <summary>A tag's line in the tags list: what it points at, how big, how old (or why that could not be read).</summary>
public sealed record TagSummary(string Tag, string? Digest, long? Size, DateTimeOffset? Created, string? Problem = null)
{
    public static TagSummary Of(TagDetail detail) => new(
        detail.Tag,
        detail.Digest,
        detail.TotalSize,
        detail.Image?.Created ?? detail.Platforms.Select(p => p.Detail?.Created).Max());
}

/// <summary>A page of names (repositories or tags), already filtered and sorted, and how many matched in all.</summary>
public sealed record NamePage(IReadOnlyList<string> Names, int Total);
