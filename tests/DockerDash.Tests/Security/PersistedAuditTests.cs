using DockerDash.Data;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Security.Audit;
using Microsoft.EntityFrameworkCore;
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
        var audit = new PersistedAudit(new UnreachableDatabase(), new DockerDash.Replicas.LeaseState(), Options.Create(new SecurityOptions()), TimeProvider.System, Fakes.TestMetrics.Create(), NullLoggerFactory.Instance);
        var record = new OperationRecord(DateTimeOffset.UtcNow, "flooder", "127.0.0.1", "container.list", "local", null, OperationOutcome.Denied, "no");

        for (var i = 0; i < PersistedAudit.Capacity + 25; i++)
        {
            audit.Record(record);
        }

        Assert.Equal(25, audit.Dropped);
    }
}
