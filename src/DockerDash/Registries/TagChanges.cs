namespace DockerDash.Registries;

/// <summary>
/// Tells who cares that a tag in a registry now points somewhere new because DockerDash put it there (a push through
/// an engine, a copy between registries): the update checker looks at the containers running it straight away.
/// </summary>
public sealed class TagChanges
{
    /// <summary>Raised with the full reference (<c>host/repository:tag</c>) of the tag that changed.</summary>
    public event Action<string>? TagChanged;

    public void Changed(string reference) => TagChanged?.Invoke(reference);
}
