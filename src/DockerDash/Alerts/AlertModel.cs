namespace DockerDash.Alerts;

/// <summary>What a rule watches for in a container's events.</summary>
public enum AlertKind
{
    /// <summary>The container exited with a non-zero code (<c>die</c> with <c>exitCode</c> != 0).</summary>
    Died,

    /// <summary>The kernel killed a process of the container for lack of memory (<c>oom</c>).</summary>
    OutOfMemory,

    /// <summary>The container's health check turned it unhealthy.</summary>
    Unhealthy,

    /// <summary>The container came back after dying more than N times within M minutes.</summary>
    Restarting,

    /// <summary>An update check found that the container's tag names a newer image in its registry.</summary>
    UpdateAvailable,

    /// <summary>An engine stayed unreachable for <see cref="AlertRule.ForSeconds"/>; resolved (and said so) when it is back.</summary>
    EngineDown,

    /// <summary>A container's CPU stayed above <see cref="AlertRule.ThresholdPercent"/> (100 = one core) for <see cref="AlertRule.ForSeconds"/>; resolved when it drops.</summary>
    CpuAbove,

    /// <summary>A container's memory stayed above <see cref="AlertRule.ThresholdPercent"/> of its limit for <see cref="AlertRule.ForSeconds"/>; resolved when it drops.</summary>
    MemoryAbove,

    /// <summary>A container logged a line matching <see cref="AlertRule.Pattern"/>: at most one firing per <see cref="AlertRule.WindowMinutes"/>.</summary>
    LogMatch,
}

public static class AlertKinds
{
    /// <summary>Kinds whose firing lasts while a condition holds, and is resolved (and said so) when it ends.</summary>
    public static bool Resolves(AlertKind kind) => kind is AlertKind.EngineDown or AlertKind.CpuAbove or AlertKind.MemoryAbove;

    /// <summary>Kinds watching a container's resources, from the shared stats streams.</summary>
    public static bool WatchesResources(AlertKind kind) => kind is AlertKind.CpuAbove or AlertKind.MemoryAbove;

    /// <summary>
    /// Kinds whose repeats within the cooldown are counted on the open firing rather than notified: events. Resolving kinds
    /// fire once per episode, and log rules are limited by their own window.
    /// </summary>
    public static bool CountsRepeats(AlertKind kind) => !Resolves(kind) && kind != AlertKind.LogMatch;
}

/// <summary>An alert rule, scoped by engine, compose project and container name pattern (empty: any).</summary>
public sealed class AlertRule
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public AlertKind Kind { get; set; }

    public string? Engine { get; set; }

    public string? Project { get; set; }

    /// <summary>A glob on the container name: <c>web-*</c>, <c>db?</c>.</summary>
    public string? NamePattern { get; set; }

    /// <summary>For <see cref="AlertKind.Restarting"/>: fires when restarts within <see cref="WindowMinutes"/> exceed this.</summary>
    public int RestartLimit { get; set; } = 3;

    public int WindowMinutes { get; set; } = 10;

    /// <summary>
    /// Repeats for the same container within this many minutes of the firing that notified are counted on
    /// it ("fired 5 times") instead of notifying again; 0 notifies every time.
    /// </summary>
    public int CooldownMinutes { get; set; } = DefaultCooldownMinutes;

    public const int DefaultCooldownMinutes = 15;

    public bool Enabled { get; set; } = true;

    /// <summary>For engine-down and resource rules: how long the condition must hold before the rule fires.</summary>
    public int ForSeconds { get; set; } = 60;

    /// <summary>For <see cref="AlertKind.CpuAbove"/> (percent of one core) and <see cref="AlertKind.MemoryAbove"/> (percent of the limit).</summary>
    public double ThresholdPercent { get; set; } = 80;

    /// <summary>For <see cref="AlertKind.LogMatch"/>: a .NET regular expression, run without backtracking (linear time on any line).</summary>
    public string? Pattern { get; set; }

    /// <summary>Until then the rule's firings are recorded and shown, but no webhook is sent.</summary>
    public DateTimeOffset? MutedUntil { get; set; }

    public bool IsMuted(DateTimeOffset now) => MutedUntil > now;
}

/// <summary>
/// Where firings are sent: a generic JSON POST, a Slack-compatible incoming webhook (<c>{ "text": ... }</c>), a Discord
/// webhook (<c>{ "content": ... }</c>), an ntfy topic (the message as text, the rule as its title), or e-mail
/// (<see cref="Url"/> holding the recipients, separated by commas).
/// </summary>
public sealed class AlertWebhook
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    public WebhookFormat Format { get; set; }

    public bool Enabled { get; set; } = true;
}

public enum WebhookFormat
{
    Json,
    Slack,
    Discord,
    Ntfy,

    /// <summary>E-mail through the mail server in <c>DockerDash:Smtp</c>; the target's address field holds the recipients.</summary>
    Email,
}

/// <summary>
/// A notice owed to a webhook or e-mail target: written before it is sent, settled when it was delivered or given up on.
/// One still unsettled when its replica died is sent by the replica that takes over.
/// </summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }

    public long FiringId { get; set; }

    public int WebhookId { get; set; }

    /// <summary>Whether it tells of the firing's end rather than its start.</summary>
    public bool Resolved { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? SettledAt { get; set; }

    public bool Delivered { get; set; }

    public string? Error { get; set; }
}

/// <summary>One time a rule fired for a container; kept until deleted, acknowledged by a person.</summary>
public sealed class AlertFiring
{
    public long Id { get; set; }

    public int RuleId { get; set; }

    public string RuleName { get; set; } = "";

    public AlertKind Kind { get; set; }

    public string Engine { get; set; } = "";

    public string ContainerId { get; set; } = "";

    public string ContainerName { get; set; } = "";

    public string? Project { get; set; }

    public string Message { get; set; } = "";

    public DateTimeOffset FiredAt { get; set; }

    /// <summary>How many times the rule fired for this container in this firing's cooldown (1: once).</summary>
    public int Count { get; set; } = 1;

    /// <summary>When it last fired (the same as <see cref="FiredAt"/> until it repeats).</summary>
    public DateTimeOffset? LastFiredAt { get; set; }

    /// <summary>When the condition ended (an engine back up); a resolution is sent to the webhooks like a firing.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>A repeat counted on an earlier firing: pages update the count, nothing notifies again.</summary>
    public bool IsRepeat => Count > 1;

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }
}
