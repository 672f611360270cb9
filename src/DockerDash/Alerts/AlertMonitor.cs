using DockerDash.Events;
using DockerDash.Updates;

namespace DockerDash.Alerts;

/// <summary>
/// Watches every engine's container events for the alert rules. It reads the broadcast through its own
/// bounded queue (so it never slows the event pipeline), records each firing, tells the app's pages and
/// hands the firing to the webhooks without waiting for them. A rule firing again for the same container
/// within its cooldown is counted on the open firing ("fired 5 times"): pages see the count, nobody is
/// notified again.
/// </summary>
public sealed class AlertMonitor(EngineEventBroadcast broadcast, UpdateChecker updates, AlertStore store, AlertNotifications notifications, WebhookDispatcher webhooks, ILogger<AlertMonitor> logger) : BackgroundService
{
    private readonly AlertEvaluator _evaluator = new();

    /// <summary>Firings come from the event loop and from update checks: one at a time.</summary>
    private readonly SemaphoreSlim _firing = new(1, 1);

    /// <summary>Per rule and container: the firing that last notified, and when.</summary>
    private readonly Dictionary<(int Rule, string Engine, string Container), (long Id, DateTimeOffset At)> _notified = [];

    /// <summary>Completes once the monitor listens to events (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.LoadAsync(stoppingToken);
        updates.UpdateFound += found => _ = UpdateFoundAsync(found, stoppingToken);
        var events = broadcast.SubscribeAsync(new EngineEventFilter(Type: "container"), stoppingToken);
        await using var reader = events.GetAsyncEnumerator(stoppingToken);
        var next = reader.MoveNextAsync();
        _listening.TrySetResult();
        while (await next)
        {
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

    private async Task FireAsync(AlertFiring firing, CancellationToken cancellationToken)
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
            if (_notified.TryGetValue(key, out var last) && firing.FiredAt - last.At < cooldown
                && await store.RepeatAsync(last.Id, firing.FiredAt, firing.Message, cancellationToken) is { } repeated)
            {
                logger.LogDebug("Alert {Rule} repeated for {Container} ({Count} times)", firing.RuleName, firing.ContainerName, repeated.Count);
                notifications.Publish(repeated);
                return;
            }

            await store.AddFiringAsync(firing, cancellationToken);
            _notified[key] = (firing.Id, firing.FiredAt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record alert {Rule}", firing.RuleName);
        }

        logger.LogInformation("Alert {Rule}: {Message}", firing.RuleName, firing.Message);
        notifications.Publish(firing);
        webhooks.Send(firing, store.Webhooks);
    }
}
