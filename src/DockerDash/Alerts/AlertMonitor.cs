using DockerDash.Events;

namespace DockerDash.Alerts;

/// <summary>
/// Watches every engine's container events for the alert rules. It reads the broadcast through its own
/// bounded queue (so it never slows the event pipeline), records each firing, tells the app's pages and
/// hands the firing to the webhooks without waiting for them.
/// </summary>
public sealed class AlertMonitor(EngineEventBroadcast broadcast, AlertStore store, AlertNotifications notifications, WebhookDispatcher webhooks, ILogger<AlertMonitor> logger) : BackgroundService
{
    private readonly AlertEvaluator _evaluator = new();

    /// <summary>Completes once the monitor listens to events (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.LoadAsync(stoppingToken);
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

            next = reader.MoveNextAsync();
        }
    }

    private async Task FireAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        logger.LogInformation("Alert {Rule}: {Message}", firing.RuleName, firing.Message);
        try
        {
            await store.AddFiringAsync(firing, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record alert {Rule}", firing.RuleName);
        }

        notifications.Publish(firing);
        webhooks.Send(firing, store.Webhooks);
    }
}
