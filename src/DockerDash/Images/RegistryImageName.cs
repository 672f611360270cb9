using System.Net;

namespace DockerDash.Images;

/// <summary>
/// A tag reference as its registry sees it: <c>busybox</c> is <c>docker.io/library/busybox:latest</c>,
/// <c>127.0.0.1:5000/team/api:2</c> is itself. Repository digests (<c>busybox@sha256:…</c>) compare on the same key.
/// </summary>
public sealed record RegistryImageName(string Registry, string Repository, string Tag)
{
    public const string DockerHub = "docker.io";

    /// <summary><c>registry/repository</c>, the part a repository digest shares with the tag.</summary>
    public string RepositoryKey => $"{Registry}/{Repository}";

    public override string ToString() => $"{Registry}/{Repository}:{Tag}";

    /// <summary>
    /// Where its registry answers when DockerDash has no entry for it: Docker Hub's registry for <c>docker.io</c>;
    /// plain HTTP for a loopback registry (as engines allow by default); HTTPS otherwise.
    /// </summary>
    public Uri DefaultAddress => Registry == DockerHub
        ? new Uri("https://registry-1.docker.io")
        : new Uri($"{(IsLoopback(Registry) ? "http" : "https")}://{Registry}");

    /// <summary>The name of a tag reference; null for one pinned by digest, an image id, or what is no reference at all.</summary>
    public static RegistryImageName? Parse(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal) || ImageReference.Problem(reference) is not null)
        {
            return null;
        }

        var (repository, tag) = ImageReference.SplitTag(reference);
        var (registry, path) = Split(repository);
        return new RegistryImageName(registry, path, tag ?? "latest");
    }

    /// <summary>The repository key of a repository digest (<c>busybox@sha256:…</c>), or null when it is none.</summary>
    public static string? RepositoryKeyOf(string repositoryDigest)
    {
        var at = repositoryDigest.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }

        var (registry, path) = Split(repositoryDigest[..at]);
        return $"{registry}/{path}";
    }

    /// <summary>The digest part of a repository digest.</summary>
    public static string DigestOf(string repositoryDigest) => repositoryDigest[(repositoryDigest.IndexOf('@', StringComparison.Ordinal) + 1)..];

    private static (string Registry, string Path) Split(string repository)
    {
        var registry = ImageReference.Registry(repository);
        var path = repository.StartsWith(registry + "/", StringComparison.Ordinal) ? repository[(registry.Length + 1)..] : repository;
        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }

        return (registry, registry == DockerHub && !path.Contains('/', StringComparison.Ordinal) ? "library/" + path : path);
    }

    private static bool IsLoopback(string authority)
    {
        var host = authority.StartsWith('[') ? authority[1..authority.IndexOf(']', StringComparison.Ordinal)] : authority.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
