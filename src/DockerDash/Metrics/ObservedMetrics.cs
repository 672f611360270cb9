using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Updates;
using static DockerDash.Metrics.PrometheusText;

namespace DockerDash.Metrics;

/// <summary>
/// The gauges of <c>/metrics</c>, read when Prometheus scrapes: open streams by kind, each engine up or not, and each
/// container's state, restarts, health, "update available" and (for those <see cref="ContainerStatsCollector"/> watches)
/// CPU, memory and I/O. Container series carry the labels engine, container, project, service and image.
/// Written here rather than through OpenTelemetry's instruments, which keep at most 2,000 series a metric (a
/// preallocated table each, merging the rest into one "overflow" series): there is a series per container, and
/// thousands of containers are a size DockerDash is meant for.
/// </summary>
public sealed class ObservedMetrics(EngineDirectory engines, ContainerStore store, ContainerStatsCollector stats, UpdateChecker updates,
    LogFeeds logs, StatsFeeds statsFeeds, EngineEventBroadcast events)
{
    /// <summary>The families in the Prometheus text format, a line at a time, as they are now.</summary>
    public IEnumerable<string> Lines() => Families().SelectMany(family => family);

    private IEnumerable<IEnumerable<string>> Families()
    {
        yield return Family("dockerdash_streams", Gauge, "Live streams now open: engine log and stats streams, and event subscribers.",
            [Kind("logs", logs.OpenStreams), Kind("stats", statsFeeds.OpenStreams), Kind("events", events.SubscriberCount)]);
        yield return Family("dockerdash_engine_up", Gauge, "1 while DockerDash is connected to the engine, else 0.", EngineUp());
        yield return Family("dockerdash_container_running", Gauge, "1 while the container runs.", Containers(c => c.IsRunning ? 1 : 0));
        yield return Family("dockerdash_container_restarts", Gauge, "Times the engine restarted the container.", Containers(c => c.RestartCount));
        yield return Family("dockerdash_container_healthy", Gauge, "1 healthy, 0 unhealthy; absent for a container without a health check or still starting.",
            Containers(c => c.Health switch { "healthy" => 1, "unhealthy" => 0, _ => null }));
        yield return Family("dockerdash_container_update_available", Gauge, "1 when the container's tag points at a newer image, 0 when it is up to date; absent where not known.",
            UpdateAvailable());
        yield return Family("dockerdash_container_cpu_percent", Gauge, "CPU use, 100 = one CPU.", Sampled(s => s.CpuPercent));
        yield return Family("dockerdash_container_memory_bytes", Gauge, "Memory in use, without the page cache.", Sampled(s => s.MemoryBytes));
        yield return Family("dockerdash_container_memory_limit_bytes", Gauge, "The memory limit (the host's memory without one).", Sampled(s => s.MemoryLimitBytes));
        yield return Family("dockerdash_container_network_receive_bytes_total", Counter, "Network bytes received since the container started.", Sampled(s => s.NetRxBytes));
        yield return Family("dockerdash_container_network_transmit_bytes_total", Counter, "Network bytes sent since the container started.", Sampled(s => s.NetTxBytes));
        yield return Family("dockerdash_container_block_read_bytes_total", Counter, "Block device bytes read since the container started.", Sampled(s => s.BlockReadBytes));
        yield return Family("dockerdash_container_block_write_bytes_total", Counter, "Block device bytes written since the container started.", Sampled(s => s.BlockWriteBytes));
    }

    private static Series Kind(string kind, int open) => new([new("kind", kind)], open);

    private IEnumerable<Series> EngineUp() =>
        engines.Connections.Select(c => new Series(
            [new("engine", c.Name), new("transport", EngineTransports.Code(c.Endpoint.Transport)), new("product", c.State.Product)], c.State.IsUp ? 1 : 0));

    private IEnumerable<Series> Containers(Func<ContainerInfo, int?> value) =>
        store.Snapshot().Select(c => (Container: c, Value: value(c))).Where(m => m.Value is not null).Select(m => new Series(Labels(m.Container), m.Value!.Value));

    private IEnumerable<Series> UpdateAvailable() =>
        store.Snapshot().Select(c => (Container: c, State: updates.For(c.Key)))
            .Where(u => u.State?.Status is UpdateStatus.Available or UpdateStatus.UpToDate)
            .Select(u => new Series(Labels(u.Container), u.State!.Status == UpdateStatus.Available ? 1 : 0));

    private IEnumerable<Series> Sampled(Func<StatsSample, double> value) =>
        stats.Latest.Select(s => (Container: store.Find(s.Key), s.Sample)).Where(s => s.Container is not null)
            .Select(s => new Series(Labels(s.Container!), value(s.Sample)));

    private static KeyValuePair<string, string>[] Labels(ContainerInfo c) =>
    [
        new("engine", c.Engine),
        new("container", c.Name),
        new("project", c.ComposeProject ?? ""),
        new("service", c.Labels.GetValueOrDefault("com.docker.compose.service") ?? ""),
        new("image", c.Image),
    ];
}
