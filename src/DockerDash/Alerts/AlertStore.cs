using DockerDash.Data;
using System.Data.Common;
using DockerDash.Replicas;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Alerts;

/// <summary>
/// Alert rules, webhooks and firings in the app's database. Rules and webhooks are also held in
/// memory (read on every event), refreshed whenever they change, here or on another replica; a firing recorded by
/// another replica (the lease holder) is shown on this one's pages too.
/// </summary>
public sealed class AlertStore : Stats.IStatsDemand
{
    private readonly IDbContextFactory<DashboardDbContext> databases;
    private readonly ReplicaSignals _signals;
    private readonly AlertNotifications _notifications;
    private readonly ILogger<AlertStore> _logger;
    private volatile IReadOnlyList<AlertRule> _rules = [];
    private volatile IReadOnlyList<AlertWebhook> _webhooks = [];

    private readonly LeaseState _lease;

    public AlertStore(IDbContextFactory<DashboardDbContext> databases, ReplicaSignals signals, LeaseState lease, AlertNotifications notifications, ILogger<AlertStore> logger)
    {
        _lease = lease;
        this.databases = databases;
        _signals = signals;
        _notifications = notifications;
        _logger = logger;
        signals.Received += signal => _ = FromElsewhereAsync(signal);
    }

    public IReadOnlyList<AlertRule> Rules => _rules;

    public IReadOnlyList<AlertWebhook> Webhooks => _webhooks;

    /// <summary>CPU and memory rules need every running container's stats, on the replica that judges them.</summary>
    public bool WantsStats => _lease.Held && _rules.Any(r => r.Enabled && AlertKinds.WatchesResources(r.Kind));

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        _rules = await db.AlertRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        _webhooks = await db.AlertWebhooks.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellationToken);
    }

    public Task SaveRuleAsync(AlertRule rule, CancellationToken cancellationToken) =>
        ChangeAsync(db => { db.Update(rule); return db.SaveChangesAsync(cancellationToken); }, cancellationToken);

    public Task DeleteRuleAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(db => db.AlertRules.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken), cancellationToken);

    public Task SaveWebhookAsync(AlertWebhook webhook, CancellationToken cancellationToken) =>
        ChangeAsync(db => { db.Update(webhook); return db.SaveChangesAsync(cancellationToken); }, cancellationToken);

    public Task DeleteWebhookAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(db => db.AlertWebhooks.Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken), cancellationToken);

    /// <summary>Changes rules or webhooks in the database, then reloads what the monitor reads.</summary>
    private async Task ChangeAsync(Func<DashboardDbContext, Task> change, CancellationToken cancellationToken)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            await change(db);
        }

        await LoadAsync(cancellationToken);
        _signals.Send(new ReplicaSignal(SignalKind.AlertsChanged, ""));
    }

    /// <summary>Shows a firing (new, repeated, resolved or acknowledged) on this replica's pages, and on every other's.</summary>
    public void Announce(AlertFiring firing)
    {
        _notifications.Publish(firing);
        _signals.Send(new ReplicaSignal(SignalKind.AlertFired, firing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task FromElsewhereAsync(ReplicaSignal signal)
    {
        try
        {
            if (signal is { Remote: true, Kind: SignalKind.AlertsChanged })
            {
                await LoadAsync(CancellationToken.None);
            }
            else if (signal is { Remote: true, Kind: SignalKind.AlertFired } && long.TryParse(signal.Subject, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                await using var db = await databases.CreateDbContextAsync();
                if (await db.AlertFirings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id) is { } firing)
                {
                    _notifications.Publish(firing);
                }
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            _logger.LogWarning("Could not follow another replica's {Kind}: {Error}", signal.Kind, e.Message);
        }
    }

    public async Task AddFiringAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.AlertFirings.Add(firing);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Counts a repeat on an open firing; returns the firing as it is now, or null when it was acknowledged
    /// or deleted meanwhile (the repeat is then a new firing).
    /// </summary>
    public async Task<AlertFiring?> RepeatAsync(long firingId, DateTimeOffset at, string message, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var open = await db.AlertFirings.SingleOrDefaultAsync(f => f.Id == firingId && f.AcknowledgedAt == null, cancellationToken);
        if (open is null)
        {
            return null;
        }

        open.Count++;
        open.LastFiredAt = at;
        open.Message = message;
        await db.SaveChangesAsync(cancellationToken);
        return open;
    }

    /// <summary>Marks a firing resolved at <paramref name="at"/>; returns it as it is now, or null when it is gone.</summary>
    public async Task<AlertFiring?> ResolveAsync(long firingId, DateTimeOffset at, string message, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var firing = await db.AlertFirings.SingleOrDefaultAsync(f => f.Id == firingId, cancellationToken);
        if (firing is null)
        {
            return null;
        }

        firing.ResolvedAt = at;
        firing.Message = message;
        await db.SaveChangesAsync(cancellationToken);
        return firing;
    }

    /// <summary>
    /// Firings since <paramref name="since"/>, and every one of a resolving kind still open, oldest first: what a
    /// monitor taking over (after a restart, or on another replica) must know not to notify twice.
    /// </summary>
    public async Task<IReadOnlyList<AlertFiring>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var resolving = Enum.GetValues<AlertKind>().Where(AlertKinds.Resolves).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.AlertFirings.AsNoTracking()
            .Where(f => f.FiredAt >= since || (f.ResolvedAt == null && resolving.Contains(f.Kind)))
            .OrderBy(f => f.FiredAt).ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Writes down the notices <paramref name="firing"/> owes to <paramref name="webhooks"/> before they are sent.</summary>
    public async Task<IReadOnlyList<(AlertWebhook Webhook, long Delivery)>> OweAsync(AlertFiring firing, IReadOnlyList<AlertWebhook> webhooks, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var owed = webhooks.Select(w => (Webhook: w, Delivery: new AlertDelivery { FiringId = firing.Id, WebhookId = w.Id, Resolved = firing.ResolvedAt is not null, QueuedAt = at })).ToList();
        db.AlertDeliveries.AddRange(owed.Select(o => o.Delivery));
        await db.SaveChangesAsync(cancellationToken);
        return [.. owed.Select(o => (o.Webhook, o.Delivery.Id))];
    }

    /// <summary>Marks a notice delivered or given up on; settled ones are kept a week.</summary>
    public async Task SettleAsync(long delivery, bool delivered, string? error, DateTimeOffset at)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.AlertDeliveries.Where(d => d.Id == delivery)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.SettledAt, at).SetProperty(d => d.Delivered, delivered).SetProperty(d => d.Error, error));
        var week = at - TimeSpan.FromDays(7);
        await db.AlertDeliveries.Where(d => d.SettledAt < week).ExecuteDeleteAsync();
    }

    /// <summary>
    /// How each webhook fared over the week of notices kept, whichever replica sent them: delivered, given up on, still
    /// owed, and the last of each.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, WebhookStatus>> DeliveryStatusAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var kept = await db.AlertDeliveries.AsNoTracking()
            .Select(d => new { d.Id, d.WebhookId, d.Delivered, d.SettledAt, Error = d.Delivered ? null : d.Error })
            .ToListAsync(cancellationToken);
        return kept.GroupBy(d => d.WebhookId).ToDictionary(g => g.Key, g =>
        {
            var failed = g.Where(d => d.SettledAt is not null && !d.Delivered).MaxBy(d => d.Id);
            return new WebhookStatus(
                g.Key,
                g.Count(d => d.Delivered),
                g.Count(d => d.SettledAt is not null && !d.Delivered),
                0,
                g.Count(d => d.SettledAt is null),
                g.Where(d => d.Delivered).Max(d => d.SettledAt),
                failed?.SettledAt,
                failed?.Error);
        });
    }

    /// <summary>Notices never settled (their replica stopped or died first), with their firing as it was when owed.</summary>
    public async Task<IReadOnlyList<(AlertFiring Firing, int Webhook, long Delivery)>> OwedAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var owed = await db.AlertDeliveries.AsNoTracking().Where(d => d.SettledAt == null).OrderBy(d => d.Id)
            .Join(db.AlertFirings.AsNoTracking(), d => d.FiringId, f => f.Id, (d, f) => new { Delivery = d, Firing = f })
            .ToListAsync(cancellationToken);
        return [.. owed.Select(o => (As(o.Firing, o.Delivery.Resolved), o.Delivery.WebhookId, o.Delivery.Id))];

        // A notice of the start sent late still tells of the start, even if the firing has ended since.
        static AlertFiring As(AlertFiring firing, bool resolved)
        {
            if (!resolved)
            {
                firing.ResolvedAt = null;
            }

            return firing;
        }
    }

    /// <summary>The latest firings, newest first.</summary>
    public async Task<IReadOnlyList<AlertFiring>> FiringsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.AlertFirings.AsNoTracking().OrderByDescending(f => f.FiredAt).ThenByDescending(f => f.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>Marks firings acknowledged (already acknowledged ones keep who did it first); returns how many changed.</summary>
    public async Task<int> AcknowledgeAsync(IReadOnlyCollection<long> ids, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var open = await db.AlertFirings.Where(f => ids.Contains(f.Id) && f.AcknowledgedAt == null).ToListAsync(cancellationToken);
        foreach (var firing in open)
        {
            firing.AcknowledgedAt = at;
            firing.AcknowledgedBy = by;
        }

        await db.SaveChangesAsync(cancellationToken);

        // Every page that lists them, on every replica, shows them acknowledged.
        foreach (var firing in open)
        {
            Announce(firing);
        }

        return open.Count;
    }
}
