using DockerDash.Replicas;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.History;
using DockerDash.Updates;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Alerts;

/// <summary>
/// Watches every engine's container events for the alert rules. It reads the broadcast through its own
/// bounded queue (so it never slows the event pipeline), records each firing, tells the app's pages and
/// hands the firing to the webhooks without waiting for them. A rule firing again for the same container
/// within its cooldown is counted on the open firing ("fired 5 times"): pages see the count, nobody is
/// notified again. Engines are watched for "engine down" rules: an engine unreachable for a rule's time fires, and its
/// return resolves the firing and says so; CPU and memory rules are judged on every round of samples from
/// <see cref="HistoryRecorder"/> the same way. A muted rule's firings are recorded and shown, but sent to no webhook.
/// </summary>
public sealed class AlertMonitor(
    EngineEventBroadcast broadcast, UpdateChecker updates, EngineDirectory engines, HistoryRecorder samples, AlertStore store,
    WebhookDispatcher webhooks, ReplicaLease lease, TimeProvider time, ILogger<AlertMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan EngineLook = TimeSpan.FromSeconds(1);

    /// <summary>How far back kept events are judged when the monitor begins: more than a takeover takes.</summary>
    private static readonly TimeSpan Replay = TimeSpan.FromSeconds(30);

    /// <summary>Per engine: since when it has not been up (absent while up).</summary>
    private readonly Dictionary<string, DateTimeOffset> _downSince = [];

    /// <summary>Per resolving rule, engine and container (empty for the engine itself): its open firing.</summary>
    private readonly Dictionary<(int Rule, string Engine, string Container), long> _open = [];

    private readonly AlertEvaluator _evaluator = new();

    private readonly ResourceRuleEvaluator _resources = new();

    /// <summary>Firings come from the event loop and from update checks: one at a time.</summary>
    private readonly SemaphoreSlim _firing = new(1, 1);

    /// <summary>Per rule and container: the firing that last notified, and when.</summary>
    private readonly Dictionary<(int Rule, string Engine, string Container), (long Id, DateTimeOffset At)> _notified = [];

    /// <summary>Completes once the monitor listens to events (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Every replica's pages read the rules and targets; changes elsewhere come by signal. The holder reads them again
        // when it begins, for whatever changed while it waited.
        await store.LoadAsync(stoppingToken);
        await lease.WaitAsync(stoppingToken);
        await store.LoadAsync(stoppingToken);
        await RecallAsync(stoppingToken);
        webhooks.Settled += (delivery, delivered, error) => store.SettleAsync(delivery, delivered, error, time.GetUtcNow());
        await ResendOwedAsync(stoppingToken);
        updates.UpdateFound += found => _ = UpdateFoundAsync(found, stoppingToken);
        engines.StateChanged += state => _ = EngineChangedAsync(state, stoppingToken);
        samples.Sampled += (now, readings) => _ = SampledAsync(now, readings, stoppingToken);
        foreach (var state in engines.States)
        {
            await EngineChangedAsync(state, stoppingToken);
        }

        _ = WatchEnginesAsync(stoppingToken);

        // The events kept from just before (a takeover's gap, the start-up's first moments) are judged too: a firing the
        // previous holder sent already is known from the database (RecallAsync) and not sent again.
        var since = time.GetUtcNow() - Replay;
        var events = broadcast.SubscribeAsync(new EngineEventFilter(Type: "container"), stoppingToken, recent: true);
        await using var reader = events.GetAsyncEnumerator(stoppingToken);
        var next = reader.MoveNextAsync();
        _listening.TrySetResult();
        while (await next)
        {
            if (reader.Current.Time < since)
            {
                next = reader.MoveNextAsync();
                continue;
            }

            foreach (var firing in _evaluator.Evaluate(reader.Current, store.Rules))
            {
                await FireAsync(firing, stoppingToken);
            }

            if (reader.Current.Action == "destroy")
            {
                Forget(reader.Current);
            }

            next = reader.MoveNextAsync();
        }
    }

    /// <summary>
    /// What the firings in the database say, for a monitor that takes over from an earlier process or another replica:
    /// which rule and container notified lately (a repeat within the cooldown is counted, not sent again) and which
    /// firings are still open (their end resolves them).
    /// </summary>
    private async Task RecallAsync(CancellationToken cancellationToken)
    {
        var longest = TimeSpan.FromMinutes(store.Rules.Select(r => r.CooldownMinutes).Append(AlertRule.DefaultCooldownMinutes).Max());
        foreach (var firing in await store.RecentAsync(time.GetUtcNow() - longest, cancellationToken))
        {
            var key = (firing.RuleId, firing.Engine, firing.ContainerId);
            _notified[key] = (firing.Id, firing.FiredAt);
            if (AlertKinds.Resolves(firing.Kind) && firing.ResolvedAt is null)
            {
                _open[key] = firing.Id;
            }
        }
    }

    private void Forget(EngineEvent destroyed)
    {
        foreach (var key in _notified.Keys.Where(k => k.Engine == destroyed.Engine && k.Container == destroyed.Id).ToList())
        {
            _notified.Remove(key);
        }
    }

    /// <summary>The "update available" rules in scope of a container an update check found behind its tag.</summary>
    private async Task UpdateFoundAsync(ContainerUpdateState found, CancellationToken cancellationToken)
    {
        foreach (var rule in store.Rules.Where(r => r.Enabled && r.Kind == AlertKind.UpdateAvailable && AlertEvaluator.InScope(r, found.Engine, found.Project, found.Name)))
        {
            await FireAsync(new AlertFiring
            {
                RuleId = rule.Id,
                RuleName = rule.Name,
                Kind = rule.Kind,
                Engine = found.Engine,
                ContainerId = found.Id,
                ContainerName = found.Name,
                Project = found.Project,
                Message = $"{found.Name} on {found.Engine} has an update: {found.Reference} now points at {ContainerUpdateState.Abbreviated(found.NewDigest)}",
                FiredAt = found.CheckedAt,
            }, cancellationToken);
        }
    }

    /// <summary>An engine went down (noted, for <see cref="WatchEnginesAsync"/>) or came back (its open firings resolve).</summary>
    private async Task EngineChangedAsync(EngineState state, CancellationToken cancellationToken)
    {
        if (state.Status == EngineStatus.Connecting)
        {
            return;
        }

        await _firing.WaitAsync(cancellationToken);
        try
        {
            if (!state.IsUp)
            {
                _downSince.TryAdd(state.Name, time.GetUtcNow());
                return;
            }

            if (!_downSince.Remove(state.Name, out var wasDownSince))
            {
                return;
            }

            foreach (var key in _open.Keys.Where(k => k.Engine == state.Name && k.Container.Length == 0).ToList())
            {
                var now = time.GetUtcNow();
                await ResolveOneAsync(key, now, $"Engine {state.Name} is back up after {Components.Formats.Duration(now - wasDownSince)} down.", cancellationToken);
            }
        }
        finally
        {
            _firing.Release();
        }
    }

    /// <summary>
    /// Once a second: each "engine down" rule fires once per outage for each engine in its scope that has been down for
    /// its time, also for an outage that began before the rule was made.
    /// </summary>
    private async Task WatchEnginesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(EngineLook, time, cancellationToken);
                List<(AlertRule Rule, string Engine, DateTimeOffset Since)> due;
                await _firing.WaitAsync(cancellationToken);
                try
                {
                    var now = time.GetUtcNow();
                    due = [.. from down in _downSince
                              from rule in store.Rules
                              where rule.Enabled && rule.Kind == AlertKind.EngineDown && AlertEvaluator.OnEngine(rule, down.Key)
                                  && !_open.ContainsKey((rule.Id, down.Key, "")) && now - down.Value >= TimeSpan.FromSeconds(rule.ForSeconds)
                              select (rule, down.Key, down.Value)];
                }
                finally
                {
                    _firing.Release();
                }

                foreach (var (rule, engine, since) in due)
                {
                    var state = engines.Find(engine)?.State;
                    await FireAsync(new AlertFiring
                    {
                        RuleId = rule.Id,
                        RuleName = rule.Name,
                        Kind = rule.Kind,
                        Engine = engine,
                        ContainerId = "",
                        ContainerName = "",
                        Message = $"Engine {engine} has been down for {Components.Formats.Duration(time.GetUtcNow() - since)}: {state?.Reason ?? "not reachable"}",
                        FiredAt = time.GetUtcNow(),
                    }, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round of samples: CPU and memory rules fire or resolve.</summary>
    private async Task SampledAsync(DateTimeOffset now, IReadOnlyList<ResourceReading> readings, CancellationToken cancellationToken)
    {
        try
        {
            await _firing.WaitAsync(cancellationToken);
            try
            {
                foreach (var change in _resources.Evaluate(now, readings, store.Rules))
                {
                    if (change.Fires)
                    {
                        await FireOneAsync(Firing(change, now), cancellationToken);
                    }
                    else
                    {
                        await ResolveOneAsync((change.Rule.Id, change.Key.Engine, change.Key.Id), now, change.Message, cancellationToken);
                    }
                }
            }
            finally
            {
                _firing.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static AlertFiring Firing(ResourceChange change, DateTimeOffset now) => new()
    {
        RuleId = change.Rule.Id,
        RuleName = change.Rule.Name,
        Kind = change.Rule.Kind,
        Engine = change.Key.Engine,
        ContainerId = change.Key.Id,
        ContainerName = change.Name,
        Project = change.Project,
        Message = change.Message,
        FiredAt = now,
    };

    /// <summary>Marks an open firing resolved and sends the resolution (caller holds <see cref="_firing"/>).</summary>
    private async Task ResolveOneAsync((int Rule, string Engine, string Container) key, DateTimeOffset now, string message, CancellationToken cancellationToken)
    {
        if (!_open.Remove(key, out var id))
        {
            return;
        }

        try
        {
            var resolved = await store.ResolveAsync(id, now, message, cancellationToken);
            if (resolved is not null)
            {
                logger.LogInformation("Alert {Rule} resolved: {Message}", resolved.RuleName, resolved.Message);
                await NotifyAsync(resolved, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record that alert {Firing} resolved", id);
        }
    }

    /// <summary>Records and sends a firing (from the event loop, update checks, log rules), one at a time.</summary>
    public async Task FireAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        await _firing.WaitAsync(cancellationToken);
        try
        {
            await FireOneAsync(firing, cancellationToken);
        }
        finally
        {
            _firing.Release();
        }
    }

    private async Task FireOneAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        var key = (firing.RuleId, firing.Engine, firing.ContainerId);
        var cooldown = TimeSpan.FromMinutes(store.Rules.FirstOrDefault(r => r.Id == firing.RuleId)?.CooldownMinutes ?? AlertRule.DefaultCooldownMinutes);
        try
        {
            // An event judged again (kept events at a takeover) that an earlier holder already fired for.
            if (AlertKinds.CountsRepeats(firing.Kind) && _notified.TryGetValue(key, out var sent) && sent.At >= firing.FiredAt)
            {
                return;
            }

            // Each outage of an engine, each time above a threshold, is its own firing, resolved when it ends.
            if (AlertKinds.CountsRepeats(firing.Kind) && _notified.TryGetValue(key, out var last) && firing.FiredAt - last.At < cooldown
                && await store.RepeatAsync(last.Id, firing.FiredAt, firing.Message, cancellationToken) is { } repeated)
            {
                logger.LogDebug("Alert {Rule} repeated for {Container} ({Count} times)", firing.RuleName, firing.ContainerName, repeated.Count);
                store.Announce(repeated);
                return;
            }

            await store.AddFiringAsync(firing, cancellationToken);
            _notified[key] = (firing.Id, firing.FiredAt);
            if (AlertKinds.Resolves(firing.Kind))
            {
                _open[(firing.RuleId, firing.Engine, firing.ContainerId)] = firing.Id;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record alert {Rule}", firing.RuleName);
        }

        logger.LogInformation("Alert {Rule}: {Message}", firing.RuleName, firing.Message);
        await NotifyAsync(firing, cancellationToken);
    }

    /// <summary>
    /// Pages always; webhooks unless the rule is muted. Each notice is written down before it is sent, so that one this
    /// replica could not finish (it died) is sent by the next lease holder (<see cref="ResendOwedAsync"/>).
    /// </summary>
    private async Task NotifyAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        store.Announce(firing);
        if (store.Rules.FirstOrDefault(r => r.Id == firing.RuleId)?.IsMuted(time.GetUtcNow()) == true)
        {
            logger.LogInformation("Alert {Rule} is muted: no webhook sent", firing.RuleName);
            return;
        }

        var targets = store.Webhooks.Where(w => w.Enabled).ToList();
        try
        {
            var owed = await store.OweAsync(firing, targets, time.GetUtcNow(), cancellationToken);
            webhooks.Send(firing, owed.Select(o => (o.Webhook, (long?)o.Delivery)));
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            logger.LogWarning("Could not write down the notices of alert {Rule} ({Error}): sending them anyway", firing.RuleName, e.Message);
            webhooks.Send(firing, targets.Select(w => (w, (long?)null)));
        }
    }

    /// <summary>Sends the notices an earlier holder wrote down and never settled (it stopped or died first).</summary>
    private async Task ResendOwedAsync(CancellationToken cancellationToken)
    {
        var targets = store.Webhooks.ToDictionary(w => w.Id);
        foreach (var (firing, webhook, delivery) in await store.OwedAsync(cancellationToken))
        {
            if (targets.TryGetValue(webhook, out var target) && target.Enabled)
            {
                logger.LogInformation("Sending alert {Rule} to {Webhook}: owed by an earlier holder", firing.RuleName, target.Name);
                webhooks.Send(firing, [(target, delivery)]);
            }
            else
            {
                await store.SettleAsync(delivery, false, "the target was deleted or turned off", time.GetUtcNow());
            }
        }
    }
}
