namespace DockerDash.Containers;

public enum ContainerChangeKind
{
    Upserted,
    Removed,
}

public sealed record ContainerChange(ContainerChangeKind Kind, ContainerKey Key, ContainerInfo? Container)
{
    public static ContainerChange Upsert(ContainerInfo container) => new(ContainerChangeKind.Upserted, container.Key, container);

    public static ContainerChange Remove(ContainerKey key) => new(ContainerChangeKind.Removed, key, null);
}

/// <summary>
/// What a subscriber receives after its snapshot: a batch of changes, or (after it fell behind) a
/// complete replacement of everything it may see. Applying a change twice is harmless.
/// </summary>
public sealed record ContainerUpdate(IReadOnlyList<ContainerChange> Changes, IReadOnlyList<ContainerInfo>? Reset = null);
