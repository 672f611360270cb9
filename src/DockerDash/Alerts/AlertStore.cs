using DockerDash.Data;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Alerts;

/// <summary>
/// Alert rules, webhooks and firings in the app's database. Rules and webhooks are also held in
/// memory (read on every event), refreshed whenever they change.
/// </summary>
public sealed class AlertStore(IDbContextFactory<DashboardDbContext> databases) : Stats.IStatsDemand
{
    private volatile IReadOnlyList<AlertRule> _rules = [];
    private volatile IReadOnlyList<AlertWebhook> _webhooks = [];

    public IReadOnlyList<AlertRule> Rules => _rules;

    public IReadOnlyList<AlertWebhook> Webhooks => _webhooks;

    /// <summary>CPU and memory rules need every running container's stats.</summary>
    public bool WantsStats => _rules.Any(r => r.Enabled && AlertKinds.WatchesResources(r.Kind));

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
        return open.Count;
    }
}
