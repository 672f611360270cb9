namespace DockerDash.Updates;

/// <summary><c>DockerDash:Updates</c>: how often every container's image is compared with its registry, and how long an update is watched.</summary>
public sealed class UpdateOptions
{
    public const string Section = "DockerDash:Updates";

    /// <summary>Between two scheduled checks (each jittered by up to a tenth); zero turns the schedule off (checks on demand still work).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long an updated container must keep running (or, with a health check, at least how long its verdict is awaited) before the old one is removed.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this many registry lookups at once in a check.</summary>
    public int Parallel { get; set; } = 4;

    /// <summary>The least time between two calls of one redeploy webhook; a call sooner is answered 429.</summary>
    public TimeSpan WebhookMinInterval { get; set; } = TimeSpan.FromSeconds(10);
}
