using DockerDash.Data;
using DockerDash.Operations;
using DockerDash.Replicas;
using DockerDash.Security;
using DockerDash.Security.Audit;
using DockerDash.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerDash.Tests.Security;

public class PersistedAuditTests
{
    /// <summary>A database that never answers: nothing is stored, so the queue only fills.</summary>
    private sealed class UnreachableDatabase : IDbContextFactory<DashboardDbContext>
    {
        public DashboardDbContext CreateDbContext() => throw new InvalidOperationException("not in this test");
    }

    [Fact]
    public void When_the_database_falls_behind_the_audit_queue_stays_bounded_and_counts_what_it_drops()
    {
        var audit = new PersistedAudit(new UnreachableDatabase(), new LeaseState(), Options.Create(new SecurityOptions()), TimeProvider.System, Fakes.TestMetrics.Create(), NullLoggerFactory.Instance);
        var record = new OperationRecord(DateTimeOffset.UtcNow, "flooder", "127.0.0.1", "container.list", "local", null, OperationOutcome.Denied, "no");

        for (var i = 0; i < PersistedAudit.Capacity + 25; i++)
        {
            audit.Record(record);
        }

        Assert.Equal(25, audit.Dropped);
    }

    [Fact]
    public async Task A_batch_the_database_refuses_for_a_moment_is_tried_again_and_stored()
    {
        var folder = Directory.CreateTempSubdirectory("dockerdash-audit-").FullName;
        try
        {
            IDbContextFactory<DashboardDbContext> databases = new SqliteDatabases(Path.Combine(folder, "dockerdash.db"));
            await new DatabaseMigration(databases, new ReplicaLocks(new DatabaseOptions())).StartAsync(CancellationToken.None);
            // A real refusal: with its table renamed away, SQLite refuses every insert of an audit record.
            await MoveAuditTableAsync(databases, away: true);
            var warnings = new FirstWarning();
            using var loggers = LoggerFactory.Create(b => b.AddProvider(warnings));
            var audit = new PersistedAudit(databases, new LeaseState(), Options.Create(new SecurityOptions()), TimeProvider.System, Fakes.TestMetrics.Create(), loggers);
            await audit.StartAsync(CancellationToken.None);

            audit.Record(new OperationRecord(DateTimeOffset.UtcNow, "admin", "127.0.0.1", "container.stop", "local", "web", OperationOutcome.Succeeded, null));
            Assert.Contains("trying again in 1 s", await warnings.Logged.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
            await MoveAuditTableAsync(databases, away: false);
            await audit.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await audit.StopAsync(CancellationToken.None);

            await using var db = await databases.CreateDbContextAsync();
            var stored = Assert.Single(await db.Audit.ToListAsync());
            Assert.Equal(("admin", "container.stop", "web"), (stored.Caller, stored.Operation, stored.Target));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task MoveAuditTableAsync(IDbContextFactory<DashboardDbContext> databases, bool away)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(away ? "ALTER TABLE \"Audit\" RENAME TO \"AuditAway\"" : "ALTER TABLE \"AuditAway\" RENAME TO \"Audit\"");
    }

    /// <summary>The text of the first warning anything logs.</summary>
    private sealed class FirstWarning : ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<string> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Logged => _logged.Task;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _logged.TrySetResult(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
