using DockerDash.Data;
using Medallion.Threading.Postgres;

namespace DockerDash.Replicas;

/// <summary>
/// Work that must happen once however many replicas run (alert evaluation and webhooks, log rules, update checks,
/// resource history, audit retention) runs on the replica holding this lease: a PostgreSQL advisory lock held by
/// one connection (DistributedLock.Postgres). The others wait for it; when its holder dies, its connection closes,
/// PostgreSQL lets the lock go and a waiting replica takes it within a second or two. A holder that loses its
/// connection to the database notices within <see cref="Watch"/> and stops (its one-of-a-kind work cannot be handed
/// over half done): whatever restarts replicas restarts it as a waiting one. A replica that had to wait begins
/// <see cref="TakeoverGrace"/> after taking the lease, by when a holder that only lost its connection has stopped, so
/// that two never work at once. With SQLite there is one replica, and it holds the lease from the start.
/// </summary>
public sealed class ReplicaLease(DatabaseOptions database, LeaseState state, IHostApplicationLifetime lifetime, ILogger<ReplicaLease> logger) : BackgroundService
{
    private static readonly PostgresAdvisoryLockKey Key = new("dockerdash-one-of-a-kind", allowHashing: true);

    /// <summary>How often the holder's connection is checked (a query a second: what noticing a lost lease costs).</summary>
    public static readonly TimeSpan Watch = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica that waited for the lease holds back before beginning: twice <see cref="Watch"/>, and a second.</summary>
    public static readonly TimeSpan TakeoverGrace = TimeSpan.FromSeconds(3);

    private readonly TaskCompletionSource _held = Alone(database, state);

    /// <summary>Whether this replica holds the lease now.</summary>
    public bool IsHeld => state.Held;

    /// <summary>Completes when this replica holds the lease; one-of-a-kind work awaits it before it begins.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _held.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (IsHeld)
        {
            return;
        }

        var lease = new PostgresDistributedLock(Key, database.ConnectionString!, o => o.KeepaliveCadence(Watch));
        var (handle, waited) = await AcquireAsync(lease, stoppingToken);
        if (waited)
        {
            await Task.Delay(TakeoverGrace, stoppingToken);
        }

        logger.LogInformation("This replica holds the lease: it runs alert rules, webhooks, update checks, history and audit retention.");
        state.Set(true);
        _held.TrySetResult();

        // Held until the app stops, or until the connection holding it is lost.
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, handle.HandleLostToken);
        try
        {
            await Task.Delay(Timeout.Infinite, lost.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            state.Set(false);
            logger.LogCritical("This replica lost its connection to the database and with it the lease: stopping, so that another replica takes over.");
            lifetime.StopApplication();
        }
        catch (OperationCanceledException)
        {
            // Stopping: the lease is let go below.
        }
        finally
        {
            await ReleaseAsync(handle);
        }
    }

    /// <summary>Lets the lock go; one whose connection is gone is let go by PostgreSQL already.</summary>
    private static async Task ReleaseAsync(PostgresDistributedLockHandle handle)
    {
        try
        {
            await handle.DisposeAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
        {
        }
    }

    /// <summary>Held from the start by a replica alone (SQLite); otherwise when the lock is taken.</summary>
    private static TaskCompletionSource Alone(DatabaseOptions database, LeaseState state)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Set(database.Provider != DatabaseProvider.PostgreSQL);
        if (state.Held)
        {
            held.SetResult();
        }

        return held;
    }

    /// <summary>Waits for the lease, and says whether another replica held it first; a database that cannot be reached is tried again every few seconds.</summary>
    private async Task<(PostgresDistributedLockHandle Handle, bool Waited)> AcquireAsync(PostgresDistributedLock lease, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await lease.TryAcquireAsync(cancellationToken: stoppingToken) is { } free
                    ? (free, false)
                    : (await lease.AcquireAsync(cancellationToken: stoppingToken), true);
            }
            catch (Npgsql.NpgsqlException e)
            {
                logger.LogWarning("Waiting for the lease: the database cannot be reached ({Error}); trying again in 5 s.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
