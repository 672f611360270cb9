namespace DockerDash.Updates;

/// <summary>Where a container's image stands against what its tag names in its registry now.</summary>
public enum UpdateStatus
{
    /// <summary>The tag still points at the digest the container's image was pulled (or pushed) with.</summary>
    UpToDate,

    /// <summary>The tag points at another digest now.</summary>
    Available,

    /// <summary>The container names its image by digest: it is what it asked for, and is never updated.</summary>
    PinnedByDigest,

    /// <summary>Its image came from no registry (built, loaded or tagged here, or created from an image id): nothing to compare.</summary>
    LocalOnly,

    /// <summary>The registry could not be asked, or did not answer (the reason says which).</summary>
    Unreachable,
}

/// <summary>What the last check found for one container.</summary>
public sealed record ContainerUpdateState(
    string Engine,
    string Id,
    string Name,
    string? Project,
    string Reference,
    UpdateStatus Status,
    string? CurrentDigest,
    string? NewDigest,
    DateTimeOffset? SeenAt,
    string? Reason,
    DateTimeOffset CheckedAt)
{
    public bool IsAvailable => Status == UpdateStatus.Available;

    /// <summary>The state in a few words, for a badge's tooltip or a list.</summary>
    public string Summary => Status switch
    {
        UpdateStatus.UpToDate => $"{Reference} is up to date",
        UpdateStatus.Available => $"update available: {Reference} now points at {Abbreviated(NewDigest)} (seen {SeenAt:yyyy-MM-dd HH:mm} UTC)",
        UpdateStatus.PinnedByDigest => "pinned by digest: never updated",
        UpdateStatus.LocalOnly => Reason ?? "local image",
        _ => $"cannot check: {Reason}",
    };

    public static string Abbreviated(string? digest) => digest is null ? "?" : digest.Length > 19 ? digest[..19] : digest;
}

/// <summary>
/// What a check looks at: everything, an engine, a compose project on an engine, one container (id or name), or the
/// containers that run one tag (<see cref="Reference"/>, as <see cref="Images.RegistryImageName"/> writes it).
/// </summary>
public sealed record UpdateScope(string? Engine = null, string? Project = null, string? Container = null, string? Reference = null)
{
    public static UpdateScope Everything { get; } = new();

    public string Describe => Container is not null ? $"container {Container}" : Project is not null ? $"project {Project}"
        : Reference is not null ? $"containers of {Reference}" : Engine is not null ? $"engine {Engine}" : "every engine";
}
