using System.Globalization;
using DockerDash.Components;
using DockerDash.Containers;
using DockerDash.History;

namespace DockerDash.Alerts;

/// <summary>A resource rule began firing for a container, or stopped (<see cref="Fires"/> false: resolved).</summary>
public sealed record ResourceChange(AlertRule Rule, ContainerKey Key, string Name, string? Project, bool Fires, string Message);

/// <summary>
/// Turns the samples of running containers into firings of CPU and memory rules: a container above a rule's threshold in
/// every sample for the rule's time fires once, and resolves with its first sample below (or when it stops being sampled:
/// stopped, removed, out of the rule's scope). Pure and single-threaded: the monitor feeds it one round of samples at a time.
/// </summary>
public sealed class ResourceRuleEvaluator
{
    private readonly Dictionary<(int Rule, ContainerKey Key), Episode> _episodes = [];

    public IReadOnlyList<ResourceChange> Evaluate(DateTimeOffset now, IReadOnlyList<ResourceReading> readings, IReadOnlyList<AlertRule> rules)
    {
        var changes = new List<ResourceChange>();
        var seen = new HashSet<(int, ContainerKey)>();
        foreach (var rule in rules.Where(r => r.Enabled && AlertKinds.WatchesResources(r.Kind)))
        {
            foreach (var reading in readings.Where(r => AlertEvaluator.InScope(rule, r.Key.Engine, r.Project, r.Name)))
            {
                var key = (rule.Id, reading.Key);
                seen.Add(key);
                var value = Value(rule, reading);
                if (value > rule.ThresholdPercent)
                {
                    if (!_episodes.TryGetValue(key, out var episode))
                    {
                        _episodes[key] = episode = new Episode(now, reading.Name, reading.Project);
                    }

                    episode.Peak = Math.Max(episode.Peak, value);
                    if (!episode.Fired && now - episode.Since >= TimeSpan.FromSeconds(rule.ForSeconds))
                    {
                        episode.Fired = true;
                        changes.Add(new ResourceChange(rule, reading.Key, reading.Name, reading.Project, true,
                            $"{What(rule)} of {reading.Name} on {reading.Key.Engine} has been above {Percent(rule.ThresholdPercent)} for {Formats.Duration(now - episode.Since)} (now {Percent(value)})"));
                    }
                }
                else if (_episodes.Remove(key, out var ended) && ended.Fired)
                {
                    changes.Add(Resolved(rule, reading.Key, ended, now, $"is back to {Percent(value)}"));
                }
            }
        }

        // Episodes of containers no longer sampled (stopped, removed) or rules gone or changed end here.
        foreach (var (key, episode) in _episodes.Where(e => !seen.Contains(e.Key)).ToList())
        {
            _episodes.Remove(key);
            if (episode.Fired && rules.FirstOrDefault(r => r.Id == key.Rule) is { } rule)
            {
                changes.Add(Resolved(rule, key.Key, episode, now, "is no longer running or watched"));
            }
        }

        return changes;
    }

    private static ResourceChange Resolved(AlertRule rule, ContainerKey key, Episode episode, DateTimeOffset now, string how) =>
        new(rule, key, episode.Name, episode.Project, false,
            $"{What(rule)} of {episode.Name} on {key.Engine} {how} (above {Percent(rule.ThresholdPercent)} for {Formats.Duration(now - episode.Since)}, peak {Percent(episode.Peak)})");

    private static double Value(AlertRule rule, ResourceReading reading) => rule.Kind == AlertKind.CpuAbove ? reading.Sample.CpuPercent : reading.MemoryPercent;

    private static string What(AlertRule rule) => rule.Kind == AlertKind.CpuAbove ? "CPU" : "Memory";

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private sealed class Episode(DateTimeOffset since, string name, string? project)
    {
        public DateTimeOffset Since { get; } = since;

        public string Name { get; } = name;

        public string? Project { get; } = project;

        public double Peak { get; set; }

        public bool Fired { get; set; }
    }
}
