using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Logs;
using DockerDash.Operations;
using DockerDash.Security;

namespace DockerDash.Alerts;

/// <summary>The patterns of log rules: .NET regular expressions run without backtracking, so any line costs linear time.</summary>
public static class LogPatterns
{
    public const int MaxLength = 1_000;

    public static Regex Compile(string pattern) => new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>Why a pattern cannot be used, or null.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "A log rule needs a pattern to look for, such as ERROR or 'timeout|refused'.";
        }

        if (pattern.Length > MaxLength)
        {
            return $"A pattern has at most {MaxLength:N0} characters.";
        }

        try
        {
            Compile(pattern);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return $"'{pattern}' is not a pattern DockerDash can run: {e.Message}";
        }
    }
}

/// <summary>
/// Follows the shared log stream of every running container in the scope of an enabled log rule (at most
/// <see cref="MaxContainers"/>) and fires the rule on a matching line, at most once per rule, container and window:
/// lines matching later in the window are counted and named in the next firing. The streams are the ones pages share,
/// joined as another viewer, and let go of when no rule wants them.
/// </summary>
public sealed class LogRuleWatcher(
    ContainerStore containers, LogFeeds feeds, OperationGate gate, AlertStore store, AlertMonitor monitor, Replicas.ReplicaLease lease, TimeProvider time, ILogger<LogRuleWatcher> logger)
    : BackgroundService
{
    public const int MaxContainers = 200;

    /// <summary>The longest part of a matching line put in a firing.</summary>
    public const int LineShown = 500;

    /// <summary>Reads containers' logs for the rules, through the gate like anyone.</summary>
    public static Caller Watcher { get; } = Caller.Internal("dockerdash:log-rules", "DockerDash (log alert rules)", DashboardClaims.AllScopes, DashboardRole.Viewer);

    private static readonly TimeSpan Look = TimeSpan.FromSeconds(2);

    private readonly Dictionary<ContainerKey, Followed> _followed = [];
    private readonly ConcurrentDictionary<(int Rule, string Pattern), Regex> _patterns = new();
    private readonly ConcurrentDictionary<(int Rule, ContainerKey Key), Window> _windows = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lease.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await FollowAsync(stoppingToken);
                await Task.Delay(Look, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            foreach (var followed in _followed.Values)
            {
                followed.Dispose();
            }
        }
    }

    private static IEnumerable<AlertRule> LogRules(IReadOnlyList<AlertRule> rules) => rules.Where(r => r.Enabled && r.Kind == AlertKind.LogMatch && !string.IsNullOrWhiteSpace(r.Pattern));

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var rules = LogRules(store.Rules).ToList();
        var wanted = rules.Count == 0 ? [] : containers.Snapshot()
            .Where(c => c.State == "running" && rules.Any(r => AlertEvaluator.InScope(r, c.Engine, c.ComposeProject, c.Name)))
            .OrderBy(c => c.Engine, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).Take(MaxContainers)
            .ToDictionary(c => c.Key);
        foreach (var (key, followed) in _followed.Where(f => !wanted.ContainsKey(f.Key) || f.Value.Ended).ToList())
        {
            _followed.Remove(key);
            followed.Dispose();
        }

        foreach (var gone in _windows.Keys.Where(w => containers.Find(w.Key) is null || !rules.Any(r => r.Id == w.Rule)))
        {
            _windows.TryRemove(gone, out _);
        }

        foreach (var edited in _patterns.Keys.Where(p => !rules.Any(r => r.Id == p.Rule && r.Pattern == p.Pattern)))
        {
            _patterns.TryRemove(edited, out _);
        }

        foreach (var container in wanted.Values.Where(c => !_followed.ContainsKey(c.Key)))
        {
            try
            {
                var tty = await gate.RunAsync(Watcher, EngineOperations.ContainerLogs, container.Engine, container.Id, async (client, ct) =>
                    (await client.Containers.InspectContainerAsync(container.Id, ct)).Config?.Tty ?? false, cancellationToken);
                var (feed, viewer) = feeds.Join(container.Key, tty, time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
                _followed[container.Key] = new Followed(feed, viewer, lines => MatchAsync(container.Key, lines, cancellationToken));
            }
            catch (Exception e) when (e is OperationFailedException or OperationDeniedException)
            {
                logger.LogDebug("Log rules cannot follow {Container} yet: {Reason}", container.Name, e.Message);
            }
        }
    }

    private async Task MatchAsync(ContainerKey key, IReadOnlyList<LogLine> lines, CancellationToken cancellationToken)
    {
        var container = containers.Find(key);
        if (container is null)
        {
            return;
        }

        foreach (var rule in LogRules(store.Rules).Where(r => AlertEvaluator.InScope(r, key.Engine, container.ComposeProject, container.Name)))
        {
            var pattern = _patterns.GetOrAdd((rule.Id, rule.Pattern!), p => LogPatterns.Compile(p.Pattern));
            foreach (var line in lines.Where(l => l.Source != LogSource.System && pattern.IsMatch(l.Text)))
            {
                if (Admit(rule, key, line) is { } earlier)
                {
                    await monitor.FireAsync(Firing(rule, container, line, earlier), cancellationToken);
                }
            }
        }
    }

    /// <summary>Null when a firing of this rule for this container is within its window (the line is counted), else the lines counted in the last window.</summary>
    private long? Admit(AlertRule rule, ContainerKey key, LogLine line)
    {
        var now = time.GetUtcNow();
        var window = _windows.GetOrAdd((rule.Id, key), _ => new Window());
        lock (window)
        {
            if (window.Start is { } start && now - start < TimeSpan.FromMinutes(rule.WindowMinutes))
            {
                window.Counted++;
                return null;
            }

            var counted = window.Counted;
            (window.Start, window.Counted) = (now, 0);
            return counted;
        }
    }

    private AlertFiring Firing(AlertRule rule, ContainerInfo container, LogLine line, long earlier)
    {
        var text = line.Text.Length > LineShown ? line.Text[..LineShown] + "…" : line.Text;
        return new AlertFiring
        {
            RuleId = rule.Id,
            RuleName = rule.Name,
            Kind = rule.Kind,
            Engine = container.Engine,
            ContainerId = container.Id,
            ContainerName = container.Name,
            Project = container.ComposeProject,
            Message = $"{container.Name} on {container.Engine} logged: {text.TrimEnd()}"
                + (earlier > 0 ? $" ({earlier:N0} more matching {(earlier == 1 ? "line" : "lines")} in the last {rule.WindowMinutes} min after the previous alert)" : ""),
            FiredAt = time.GetUtcNow(),
        };
    }

    private sealed class Window
    {
        public DateTimeOffset? Start { get; set; }

        public long Counted { get; set; }
    }

    /// <summary>One container's shared log feed, read for the rules until disposed or the stream ends.</summary>
    private sealed class Followed : IDisposable
    {
        private readonly ContainerLogFeed _feed;
        private readonly Streaming.SharedStream<IReadOnlyList<LogLine>>.Viewer _viewer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;

        public Followed(ContainerLogFeed feed, Streaming.SharedStream<IReadOnlyList<LogLine>>.Viewer viewer, Func<IReadOnlyList<LogLine>, Task> match)
        {
            (_feed, _viewer) = (feed, viewer);
            _reading = ReadAsync(match, _stop.Token);
        }

        public bool Ended => _reading.IsCompleted;

        private async Task ReadAsync(Func<IReadOnlyList<LogLine>, Task> match, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var batch in _viewer.Queue.ReadAllAsync(null, cancellationToken))
                {
                    await match(batch);
                }
            }
            catch (OperationCanceledException)
            {
                // Let go of.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _feed.Leave(_viewer);
            _stop.Dispose();
        }
    }
}
