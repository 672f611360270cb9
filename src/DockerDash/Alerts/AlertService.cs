using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Alerts;

/// <summary>Alerts for pages, through the gate: reading (<c>alert.read</c>), acknowledging (<c>alert.acknowledge</c>), rules and webhooks (<c>alert.manage</c>).</summary>
public sealed class AlertService(OperationGate gate, AlertStore store, AlertNotifications notifications, WebhookDispatcher webhooks, AlertMailer mailer, CallerContext caller, TimeProvider time)
{
    public const int FiringsShown = 500;

    private Caller Caller => caller.Current;

    /// <summary>The latest firings on engines the caller may watch, newest first.</summary>
    public Task<IReadOnlyList<AlertFiring>> FiringsAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertRead, null, async ct =>
            (IReadOnlyList<AlertFiring>)(await store.FiringsAsync(FiringsShown, ct)).Where(Visible).ToList(), cancellationToken);

    /// <summary>Firings as they happen, on engines the caller may watch.</summary>
    public async IAsyncEnumerable<AlertFiring> ListenAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var who = Caller;
        gate.Authorize(who, AppOperations.AlertRead, AppOperations.Scope);
        await foreach (var firing in notifications.ListenAsync(cancellationToken))
        {
            if (gate.IsAllowed(who, EngineOperations.EventStream, firing.Engine))
            {
                yield return firing;
            }
        }
    }

    public Task<int> AcknowledgeAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertAcknowledge, string.Join(',', ids), ct => store.AcknowledgeAsync(ids, Caller.DisplayName, time.GetUtcNow(), ct), cancellationToken);

    public Task<IReadOnlyList<AlertRule>> RulesAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertRead, null, _ => Task.FromResult(store.Rules), cancellationToken);

    public Task<IReadOnlyList<AlertWebhook>> WebhooksAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, null, _ => Task.FromResult(store.Webhooks), cancellationToken);

    /// <summary>
    /// How each webhook fared, from the notices every replica wrote down (the last week), with this replica's own latest
    /// attempt when it is newer (a receiver failing while its notice is still being retried) and what its queue dropped.
    /// </summary>
    public Task<IReadOnlyDictionary<int, WebhookStatus>> StatusesAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, null, async ct =>
        {
            var recorded = await store.DeliveryStatusAsync(ct);
            return (IReadOnlyDictionary<int, WebhookStatus>)store.Webhooks.ToDictionary(w => w.Id, w => Merged(recorded.GetValueOrDefault(w.Id), webhooks.StatusOf(w.Id)));
        }, cancellationToken);

    private static WebhookStatus Merged(WebhookStatus? recorded, WebhookStatus here) =>
        recorded is null
            ? here
            : here.LastFailedAt > recorded.LastFailedAt || (recorded.LastFailedAt is null && here.LastFailedAt is not null)
                ? recorded with { LastFailedAt = here.LastFailedAt, LastError = here.LastError, Dropped = here.Dropped }
                : recorded with { Dropped = here.Dropped };

    public Task SaveRuleAsync(AlertRule rule, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, $"rule {rule.Name}", async ct =>
        {
            await store.SaveRuleAsync(Validated(rule), ct);
            return true;
        }, cancellationToken);

    public Task DeleteRuleAsync(int id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, $"rule {id}", async ct =>
        {
            await store.DeleteRuleAsync(id, ct);
            return true;
        }, cancellationToken);

    public Task SaveWebhookAsync(AlertWebhook webhook, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, $"webhook {webhook.Name}", async ct =>
        {
            await store.SaveWebhookAsync(Validated(webhook), ct);
            return true;
        }, cancellationToken);

    public Task DeleteWebhookAsync(int id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, $"webhook {id}", async ct =>
        {
            await store.DeleteWebhookAsync(id, ct);
            return true;
        }, cancellationToken);

    /// <summary>Mutes a rule for <paramref name="duration"/> (its firings are still recorded and shown, no webhook is sent), or unmutes it (null).</summary>
    public Task MuteRuleAsync(int id, TimeSpan? duration, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, duration is null ? $"rule {id} unmuted" : $"rule {id} muted for {Components.Formats.Duration(duration.Value)}", async ct =>
        {
            var rule = store.Rules.FirstOrDefault(r => r.Id == id) ?? throw new OperationFailedException($"There is no rule {id}.", OperationFailure.NotFound);
            rule.MutedUntil = duration is { } length ? time.GetUtcNow() + length : null;
            await store.SaveRuleAsync(rule, ct);
            return true;
        }, cancellationToken);

    /// <summary>Sends a test message to a webhook now; says how it went, or fails with the receiver's answer.</summary>
    public Task<string> TestWebhookAsync(int id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.AlertManage, $"webhook {id} test", async _ =>
        {
            var webhook = store.Webhooks.FirstOrDefault(w => w.Id == id)
                ?? throw new OperationFailedException($"There is no webhook {id}.", OperationFailure.NotFound);
            return await webhooks.TestAsync(webhook) is { } error
                ? throw new OperationFailedException($"The test message to '{webhook.Name}' was not delivered: {error}.", OperationFailure.Unreachable)
                : $"The test message to '{webhook.Name}' was delivered.";
        }, cancellationToken);

    private bool Visible(AlertFiring firing) => gate.IsAllowed(Caller, EngineOperations.EventStream, firing.Engine);

    private static AlertRule Validated(AlertRule rule)
    {
        var problem = string.IsNullOrWhiteSpace(rule.Name) ? "A rule needs a name."
            : rule.Kind == AlertKind.Restarting && rule.RestartLimit < 1 ? "The restart limit must be at least 1."
            : rule.Kind == AlertKind.Restarting && rule.WindowMinutes is < 1 or > 1440 ? "The window must be between 1 and 1,440 minutes."
            : rule.Kind == AlertKind.EngineDown && rule.ForSeconds is < 0 or > 86_400 ? "An engine's down time must be between 0 and 86,400 seconds."
            : AlertKinds.WatchesResources(rule.Kind) && rule.ForSeconds is < 0 or > 86_400 ? "The time above the threshold must be between 0 seconds and 24 hours."
            : rule.Kind == AlertKind.CpuAbove && rule.ThresholdPercent is <= 0 or > 100_000 ? "The CPU threshold must be above 0 % (100 % is one core)."
            : rule.Kind == AlertKind.MemoryAbove && rule.ThresholdPercent is <= 0 or >= 100 ? "The memory threshold must be between 0 and 100 % of the limit."
            : rule.Kind == AlertKind.LogMatch && rule.WindowMinutes is < 1 or > 1440 ? "The window must be between 1 and 1,440 minutes."
            : rule.Kind == AlertKind.LogMatch ? LogPatterns.Problem(rule.Pattern)
            : null;
        return problem is null ? rule : throw new OperationFailedException(problem, OperationFailure.Invalid);
    }

    private AlertWebhook Validated(AlertWebhook webhook)
    {
        var problem = string.IsNullOrWhiteSpace(webhook.Name) ? "A webhook needs a name."
            : webhook.Format == WebhookFormat.Email ? mailer.Problem(webhook.Url)
            : !Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") ? $"'{webhook.Url}' is not an http(s) address."
            : DockerDash.Outbound.OutboundHttp.Problem(url);
        return problem is null ? webhook : throw new OperationFailedException(problem, OperationFailure.Invalid);
    }
}
