using System.Globalization;
using System.Text.RegularExpressions;
using DockerDash.Containers;
using DockerDash.Events;

namespace DockerDash.Alerts;

/// <summary>
/// Turns container events into firings, rule by rule: a non-zero <c>die</c>, an <c>oom</c>, a turn to
/// unhealthy (once per turn), and restarts (a <c>start</c> after a <c>die</c>) beyond a rule's limit within
/// its window (once per window). Pure and single-threaded: the monitor feeds it one event at a time.
/// </summary>
public sealed class AlertEvaluator
{
    private const int MaxRestartsKept = 1_000;

    private readonly Dictionary<(string Engine, string Id), ContainerTrack> _tracks = [];

    public IReadOnlyList<AlertFiring> Evaluate(EngineEvent e, IReadOnlyList<AlertRule> rules)
    {
        if (e.Type != "container")
        {
            return [];
        }

        var key = (e.Engine, e.Id);
        if (e.Action == "destroy")
        {
            _tracks.Remove(key);
            return [];
        }

        var track = _tracks.TryGetValue(key, out var known) ? known : _tracks[key] = new ContainerTrack();
        var restarted = e.Action == "start" && track.LastAction == "die";
        track.LastAction = e.Action.Split(':')[0];
        if (restarted)
        {
            track.Restarts.Enqueue(e.Time);
            while (track.Restarts.Count > MaxRestartsKept)
            {
                track.Restarts.Dequeue();
            }
        }

        var firings = new List<AlertFiring>();
        foreach (var rule in rules.Where(r => r.Enabled && InScope(r, e)))
        {
            if (Fires(rule, e, track) is { } message)
            {
                firings.Add(Firing(rule, e, message));
            }
        }

        if (e.Action.StartsWith("health_status", StringComparison.Ordinal))
        {
            track.Unhealthy = e.Action.EndsWith("unhealthy", StringComparison.Ordinal);
        }

        return firings;
    }

    private static string? Fires(AlertRule rule, EngineEvent e, ContainerTrack track) => rule.Kind switch
    {
        AlertKind.Died when e.Action == "die" && ExitCode(e) is { } code && code != 0 => $"exited with code {code}",
        AlertKind.OutOfMemory when e.Action == "oom" => "was killed for lack of memory (OOM)",
        AlertKind.Unhealthy when e.Action == "health_status: unhealthy" && !track.Unhealthy => "turned unhealthy",
        AlertKind.Restarting when e.Action == "start" => RestartsBeyond(rule, e, track),
        _ => null,
    };

    private static string? RestartsBeyond(AlertRule rule, EngineEvent e, ContainerTrack track)
    {
        var window = TimeSpan.FromMinutes(Math.Max(1, rule.WindowMinutes));
        var recent = track.Restarts.Count(t => e.Time - t <= window);
        if (recent <= rule.RestartLimit || (track.RestartFired.TryGetValue(rule.Id, out var fired) && e.Time - fired <= window))
        {
            return null;
        }

        track.RestartFired[rule.Id] = e.Time;
        while (track.Restarts.Count > 0 && e.Time - track.Restarts.Peek() > window)
        {
            track.Restarts.Dequeue();
        }

        return $"restarted {recent} times in {rule.WindowMinutes} min";
    }

    private static int? ExitCode(EngineEvent e) =>
        e.Attributes.TryGetValue("exitCode", out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;

    public static bool InScope(AlertRule rule, EngineEvent e) => InScope(rule, e.Engine, ProjectOf(e), e.Name);

    public static bool InScope(AlertRule rule, string engine, string? project, string? name) =>
        OnEngine(rule, engine)
        && (string.IsNullOrWhiteSpace(rule.Project) || string.Equals(rule.Project, project, StringComparison.Ordinal))
        && (string.IsNullOrWhiteSpace(rule.NamePattern) || Glob(rule.NamePattern).IsMatch(name ?? ""));

    /// <summary>Whether the rule's engine scope takes in <paramref name="engine"/> (all a rule about engines is scoped by).</summary>
    public static bool OnEngine(AlertRule rule, string engine) =>
        string.IsNullOrWhiteSpace(rule.Engine) || string.Equals(rule.Engine, engine, StringComparison.OrdinalIgnoreCase);

    private static string? ProjectOf(EngineEvent e) => e.Attributes.GetValueOrDefault(ContainerInfo.ComposeProjectLabel);

    /// <summary><c>*</c> any run of characters, <c>?</c> one; the whole name must match.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static AlertFiring Firing(AlertRule rule, EngineEvent e, string what) => new()
    {
        RuleId = rule.Id,
        RuleName = rule.Name,
        Kind = rule.Kind,
        Engine = e.Engine,
        ContainerId = e.Id,
        ContainerName = e.Name ?? e.Id,
        Project = ProjectOf(e),
        Message = $"{e.Name ?? e.Id} on {e.Engine} {what}",
        FiredAt = e.Time,
    };

    private sealed class ContainerTrack
    {
        public string? LastAction { get; set; }

        public bool Unhealthy { get; set; }

        public Queue<DateTimeOffset> Restarts { get; } = new();

        public Dictionary<int, DateTimeOffset> RestartFired { get; } = [];
    }
}
