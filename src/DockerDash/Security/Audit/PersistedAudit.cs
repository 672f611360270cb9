using System.Threading.Channels;
using DockerDash.Operations;
using DockerDash.Security.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Audit;

/// <summary>
/// The audit trail: every change, every denial and every login, kept in the database (and written
/// to the log, category <c>DockerDash.Audit</c>). Records queue in memory and one writer stores them
/// in batches, so the gate never waits on the disk; entries older than the retention are deleted.
/// </summary>
public sealed class PersistedAudit(IDbContextFactory<DashboardDbContext> databases, IOptions<SecurityOptions> options, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService, IOperationAudit
{
    private static readonly TimeSpan RetentionSweep = TimeSpan.FromHours(1);
    private readonly Channel<OperationRecord> _queue = Channel.CreateUnbounded<OperationRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LoggingOperationAudit _log = new(loggers);
    private readonly ILogger _logger = loggers.CreateLogger<PersistedAudit>();
    private long _queued;
    private long _stored;

    public void Record(OperationRecord record)
    {
        _log.Record(record);
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(record);
    }

    /// <summary>Waits until everything recorded so far is stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _stored) < target)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = DateTimeOffset.MinValue;
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<OperationRecord>();
                while (batch.Count < 500 && reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await StoreAsync(batch, stoppingToken);
                if (time.GetUtcNow() >= nextSweep)
                {
                    await SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + RetentionSweep;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still queued was logged already.
        }
    }

    private async Task StoreAsync(List<OperationRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Audit.AddRange(batch.Select(r => new AuditEntry
            {
                Time = r.Time,
                Caller = r.Caller,
                Address = r.RemoteAddress,
                Operation = r.Operation,
                Scope = r.Engine,
                Target = r.Target,
                Outcome = r.Outcome.ToString(),
                Message = r.Message,
            }));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            _logger.LogError("Could not store {Count} audit records (they are in the log): {Error}", batch.Count, e.InnerException?.Message ?? e.Message);
        }
        finally
        {
            Interlocked.Add(ref _stored, batch.Count);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cutoff = (time.GetUtcNow() - TimeSpan.FromDays(options.Value.AuditRetentionDays)).UtcTicks;
        await db.Database.ExecuteSqlAsync($"DELETE FROM Audit WHERE Time < {cutoff}", cancellationToken);
    }
}
