using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DockerDash.Data;

/// <summary>
/// DockerDash's own data: users (ASP.NET Core Identity), their grants, tokens, the audit log, alerts, registries,
/// resource history and, on PostgreSQL, the Data Protection key ring. SQLite in the data folder (this type and its
/// migrations), or PostgreSQL (<see cref="PostgresDashboardDbContext"/>, the same model).
/// </summary>
public class DashboardDbContext(DbContextOptions<DashboardDbContext> options) : IdentityDbContext<DashboardUser>(options), IDataProtectionKeyContext
{
    public DbSet<AccessGrant> Grants => Set<AccessGrant>();

    public DbSet<AccessToken> Tokens => Set<AccessToken>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<Alerts.AlertRule> AlertRules => Set<Alerts.AlertRule>();

    public DbSet<Alerts.AlertWebhook> AlertWebhooks => Set<Alerts.AlertWebhook>();

    public DbSet<Alerts.AlertFiring> AlertFirings => Set<Alerts.AlertFiring>();

    public DbSet<Registries.RegistryEntry> Registries => Set<Registries.RegistryEntry>();

    public DbSet<Updates.UpdateWebhook> UpdateWebhooks => Set<Updates.UpdateWebhook>();

    public DbSet<History.HistorySeries> HistorySeries => Set<History.HistorySeries>();

    public DbSet<History.HistoryPoint> HistoryPoints => Set<History.HistoryPoint>();

    public DbSet<Jobs.JobOutcome> JobOutcomes => Set<Jobs.JobOutcome>();

    public DbSet<Alerts.AlertDelivery> AlertDeliveries => Set<Alerts.AlertDelivery>();

    /// <summary>The key ring shared by replicas (PostgreSQL); with SQLite the keys are files in the data folder and this stays empty.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // SQLite cannot order or compare DateTimeOffset: store UTC ticks (PostgreSQL stores the same, one model for both).
        var ticks = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        var nullableTicks = new ValueConverter<DateTimeOffset?, long?>(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

        builder.Entity<DashboardUser>(user =>
        {
            user.Property(u => u.CreatedAt).HasConversion(ticks);
            user.HasMany(u => u.Grants).WithOne().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccessGrant>(grant =>
        {
            grant.Property(g => g.Scope).HasMaxLength(200);
            grant.HasIndex(g => new { g.UserId, g.Scope }).IsUnique();
        });
        builder.Entity<AccessToken>(token =>
        {
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.CreatedAt).HasConversion(ticks);
            token.Property(t => t.ExpiresAt).HasConversion(ticks);
            token.Property(t => t.RevokedAt).HasConversion(nullableTicks);
            token.Property(t => t.LastUsedAt).HasConversion(nullableTicks);
        });
        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.Time).HasConversion(ticks);
            entry.HasIndex(e => e.Time);
        });
        builder.Entity<Alerts.AlertRule>(rule =>
        {
            rule.Property(r => r.Name).HasMaxLength(200);
            rule.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            rule.Property(r => r.MutedUntil).HasConversion(nullableTicks);
        });
        builder.Entity<Alerts.AlertWebhook>(webhook =>
        {
            webhook.Property(w => w.Name).HasMaxLength(200);
            webhook.Property(w => w.Url).HasMaxLength(2000);
            webhook.Property(w => w.Format).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<Registries.RegistryEntry>(registry =>
        {
            registry.Property(r => r.Name).HasMaxLength(200);
            registry.HasIndex(r => r.Name).IsUnique();
            registry.Property(r => r.Url).HasMaxLength(2000);
            registry.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            registry.Property(r => r.PullTool).HasMaxLength(20);
            registry.Ignore(r => r.Host);
            registry.Ignore(r => r.RegistryUrl);
            registry.Property(r => r.Namespace).HasMaxLength(200);
        });
        builder.Entity<Updates.UpdateWebhook>(hook =>
        {
            hook.Property(h => h.Name).HasMaxLength(200);
            hook.Property(h => h.Kind).HasConversion<string>().HasMaxLength(20);
            hook.Property(h => h.Engine).HasMaxLength(200);
            hook.Property(h => h.Target).HasMaxLength(500);
            hook.Property(h => h.SecretHash).HasMaxLength(64);
            hook.Property(h => h.CreatedBy).HasMaxLength(200);
            hook.Property(h => h.LastOutcome).HasMaxLength(2000);
            hook.Property(h => h.CreatedAt).HasConversion(ticks);
            hook.Property(h => h.LastCalledAt).HasConversion(nullableTicks);
            hook.Property(h => h.RevokedAt).HasConversion(nullableTicks);
            hook.Ignore(h => h.Describe);
        });
        builder.Entity<Alerts.AlertFiring>(firing =>
        {
            firing.Property(f => f.Kind).HasConversion<string>().HasMaxLength(20);
            firing.Property(f => f.FiredAt).HasConversion(ticks);
            firing.Property(f => f.AcknowledgedAt).HasConversion(nullableTicks);
            firing.Property(f => f.ResolvedAt).HasConversion(nullableTicks);
            firing.HasIndex(f => f.FiredAt);
        });
        builder.Entity<History.HistorySeries>(series =>
        {
            series.Property(s => s.Engine).HasMaxLength(200);
            series.Property(s => s.ContainerId).HasMaxLength(64);
            series.Property(s => s.Name).HasMaxLength(300);
            series.Property(s => s.Project).HasMaxLength(200);
            series.Ignore(s => s.IsEngine);
            series.HasIndex(s => new { s.Engine, s.ContainerId }).IsUnique();
        });
        builder.Entity<Alerts.AlertDelivery>(delivery =>
        {
            delivery.Property(d => d.QueuedAt).HasConversion(ticks);
            delivery.Property(d => d.SettledAt).HasConversion(nullableTicks);
            delivery.Property(d => d.Error).HasMaxLength(2000);
            delivery.HasOne<Alerts.AlertFiring>().WithMany().HasForeignKey(d => d.FiringId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasIndex(d => d.SettledAt);
        });
        builder.Entity<Jobs.JobOutcome>(outcome =>
        {
            outcome.Property(o => o.Kind).HasMaxLength(50);
            outcome.Property(o => o.Title).HasMaxLength(500);
            outcome.Property(o => o.Engine).HasMaxLength(200);
            outcome.Property(o => o.Owner).HasMaxLength(200);
            outcome.Property(o => o.OwnerKey).HasMaxLength(300);
            outcome.Property(o => o.Outcome).HasMaxLength(2000);
            outcome.Property(o => o.State).HasConversion<string>().HasMaxLength(20);
            outcome.Property(o => o.Started).HasConversion(ticks);
            outcome.Property(o => o.Finished).HasConversion(ticks);
            outcome.HasIndex(o => o.Finished);
        });
        builder.Entity<History.HistoryPoint>(point =>
        {
            // The key is the index every read and the retention use: a series' points of one resolution by time.
            point.HasKey(p => new { p.SeriesId, p.Resolution, p.At });
            point.HasOne<History.HistorySeries>().WithMany().HasForeignKey(p => p.SeriesId).OnDelete(DeleteBehavior.Cascade);
            point.HasIndex(p => new { p.Resolution, p.At });
        });
    }
}
