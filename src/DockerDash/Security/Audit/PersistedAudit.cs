using System.Data.Common;
using System.Threading.Channels;
using DockerDash.Operations;
using DockerDash.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.Security.Audit;

/// <summary>
/// The audit trail: every change, every denial and every login, kept in the database (and written
/// to the log, category <c>DockerDash.Audit</c>). Records queue in memory and one writer stores them
/// in batches, so the gate never waits on the disk; entries older than the retention are deleted. The queue
/// is bounded (<see cref="Capacity"/>): when the database falls that far behind, further records are only in
/// the log, and <see cref="Dropped"/> counts them. A batch the database refuses (unreachable, locked, restarting) is
/// tried again for about half a minute (<see cref="Retries"/>) before it is left to the log.
/// </summary>
public sealed class PersistedAudit(IDbContextFactory<DashboardDbContext> databases, Replicas.LeaseState lease, IOptions<SecurityOptions> options, TimeProvider time, DockerDash.Metrics.AppMetrics metrics, ILoggerFactory loggers)
    : BackgroundService, IOperationAudit
{
    private static readonly TimeSpan RetentionSweep = TimeSpan.FromHours(1);
    public const int Capacity = 10_000;

    /// <summary>The waits before each new try of a batch the database refused; after the last, the batch is only in the log.</summary>
    private static readonly IReadOnlyList<TimeSpan> Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15)];

    private readonly Channel<OperationRecord> _queue = Channel.CreateBounded<OperationRecord>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _progress = new();
    private TaskCompletionSource _storedMore = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private readonly LoggingOperationAudit _log = new(loggers);
    private readonly ILogger _logger = loggers.CreateLogger<PersistedAudit>();
    private long _queued;
    private long _stored;

    /// <summary>Records that were only logged, not stored, because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(OperationRecord record)
    {
        _log.Record(record);
        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _queued);
        }
        else if (Interlocked.Increment(ref _dropped) % 1_000 == 1)
        {
            _logger.LogWarning("The audit queue is full ({Capacity} records): {Dropped} records so far are only in the log.", Capacity, Dropped);
        }
    }

    /// <summary>Waits until everything recorded so far is stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (true)
        {
            Task storedMore;
            lock (_progress)
            {
                if (Interlocked.Read(ref _stored) >= target)
                {
                    return;
                }

                storedMore = _storedMore.Task;
            }

            await storedMore.WaitAsync(cancellationToken);
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
                // Retention is one replica's work: the lease holder's.
                if (lease.Held && time.GetUtcNow() >= nextSweep)
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
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await InsertAsync(batch, cancellationToken);
                    metrics.AuditWritten(batch.Count);
                    return;
                }
                catch (Exception e) when (IsDatabaseFailure(e) && attempt < Retries.Count)
                {
                    _logger.LogWarning("Could not store {Count} audit records; trying again in {Delay} s: {Error}", batch.Count, Retries[attempt].TotalSeconds, Describe(e));
                    await Task.Delay(Retries[attempt], time, cancellationToken);
                }
                catch (Exception e) when (IsDatabaseFailure(e))
                {
                    _logger.LogError("Could not store {Count} audit records (they are in the log): {Error}", batch.Count, Describe(e));
                    return;
                }
            }
        }
        finally
        {
            lock (_progress)
            {
                Interlocked.Add(ref _stored, batch.Count);
                _storedMore.TrySetResult();
                _storedMore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private async Task InsertAsync(List<OperationRecord> batch, CancellationToken cancellationToken)
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

    /// <summary>What a database that is down, locked or refusing a write throws (Npgsql: an invalid operation on a broken connection).</summary>
    private static bool IsDatabaseFailure(Exception e) => e is DbUpdateException or DbException or InvalidOperationException;

    private static string Describe(Exception e) => e.InnerException?.Message ?? e.Message;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.AuditRetentionDays);
            await db.Audit.Where(e => e.Time < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            _logger.LogWarning("Could not delete the audit entries past their retention (tried again in an hour): {Error}", Describe(e));
        }
    }
}
