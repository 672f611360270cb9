namespace DockerDash.Updates;

/// <summary>What a redeploy webhook updates when it is called.</summary>
public enum UpdateWebhookTarget
{
    /// <summary>One container, by name (its id changes with every update).</summary>
    Container,

    /// <summary>Every container of a compose project, in dependency order.</summary>
    Project,

    /// <summary>Every container created from an image reference (<c>registry/repository:tag</c>).</summary>
    Image,
}

/// <summary>
/// A redeploy webhook: a secret URL that CI calls after pushing an image, to update what it is scoped to on one engine.
/// Only a hash of its secret is kept; the URL is shown once, when it is made.
/// </summary>
public sealed class UpdateWebhook
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public UpdateWebhookTarget Kind { get; set; }

    public string Engine { get; set; } = "";

    /// <summary>The container's name, the project's name, or the image reference.</summary>
    public string Target { get; set; } = "";

    public string SecretHash { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastCalledAt { get; set; }

    /// <summary>What the last call started, in a sentence (its job's outcome once known).</summary>
    public string? LastOutcome { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string Describe => Kind switch
    {
        UpdateWebhookTarget.Container => $"container {Target} on {Engine}",
        UpdateWebhookTarget.Project => $"project {Target} on {Engine}",
        _ => $"containers of {Target} on {Engine}",
    };
}
