using DockerDash.History;
using DockerDash.Replicas;
using Microsoft.Extensions.Options;

namespace DockerDash.Tests.History;

public class HistoryDemandTests
{
    [Fact]
    public void History_wants_stats_streams_only_on_the_replica_holding_the_lease()
    {
        var lease = new LeaseState();
        var demand = new HistoryDemand(Options.Create(new HistoryOptions { Enabled = true }), lease);
        Assert.True(demand.WantsStats);

        lease.Set(false);
        Assert.False(demand.WantsStats);

        lease.Set(true);
        Assert.False(new HistoryDemand(Options.Create(new HistoryOptions { Enabled = false }), lease).WantsStats);
    }
}
