using DockerDash.Data;
using Medallion.Threading.Postgres;

namespace DockerDash.Replicas;

/// <summary>
/// Short steps that replicas must take one at a time (creating the first admin on a new database): a PostgreSQL
/// advisory lock of that name for the step's length. With SQLite there is one replica, and nothing to wait for.
/// </summary>
public sealed class ReplicaLocks(DatabaseOptions database)
{
    public async Task<IAsyncDisposable?> OneAtATimeAsync(string step, CancellationToken cancellationToken) =>
        database.Provider == DatabaseProvider.PostgreSQL
            ? await new PostgresDistributedLock(new PostgresAdvisoryLockKey("dockerdash-" + step, allowHashing: true), database.ConnectionString!)
                .AcquireAsync(cancellationToken: cancellationToken)
            : null;
}
