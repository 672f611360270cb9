using DockerDash.Replicas;
using DockerDash.Stats;
using Microsoft.Extensions.Options;

namespace DockerDash.History;

/// <summary>
/// Every <see cref="HistoryOptions.SampleSeconds"/>: takes the newest stats sample of each running container (from the
/// shared stats streams that <see cref="ContainerStatsCollector"/> keeps open), tells <see cref="Sampled"/> (the resource
/// alert rules), and stores them when history is on; once per rollup period it rolls up and deletes what expired.
/// </summary>
public sealed class HistoryRecorder(ContainerStatsCollector stats, HistoryStore store, ReplicaLease lease, IOptions<HistoryOptions> options, TimeProvider time, ILogger<HistoryRecorder> logger)
    : BackgroundService
{
    /// <summary>Each sample of every running container watched, at the time of the sample (handlers must not block).</summary>
    public event Action<DateTimeOffset, IReadOnlyList<ResourceReading>>? Sampled;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lease.WaitAsync(stoppingToken);
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.Sample, time);
        var compactAt = time.GetUtcNow();
        long? lastSecond = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                // A tick that comes late (a slow write) is followed by one at once: points are kept by the second, one each.
                if (now.ToUnixTimeSeconds() == lastSecond)
                {
                    continue;
                }

                lastSecond = now.ToUnixTimeSeconds();
                // A sample older than three periods belongs to a stream that stalled: no reading rather than a stale one.
                var readings = stats.Readings(settings.Sample * 3);
                Sampled?.Invoke(now, readings);
                if (!settings.Enabled)
                {
                    continue;
                }

                try
                {
                    if (readings.Count > 0)
                    {
                        await store.AddAsync(now, readings, stoppingToken);
                    }

                    if (now >= compactAt)
                    {
                        await store.CompactAsync(now, stoppingToken);
                        compactAt = now + settings.Rollup;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not store resource history; trying again with the next sample");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

/// <summary>History, when on, needs every running container's stats: on the replica that records it.</summary>
public sealed class HistoryDemand(IOptions<HistoryOptions> options, Replicas.LeaseState lease) : IStatsDemand
{
    public bool WantsStats => options.Value.Enabled && lease.Held;
}
