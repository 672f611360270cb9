using System.Diagnostics.Metrics;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Updates;

namespace DockerDash.Metrics;

/// <summary>
/// The gauges of <c>/metrics</c>, read when Prometheus scrapes: open streams by kind, each engine up or not, and each
/// container's state, restarts, health, "update available" and (for those <see cref="ContainerStatsCollector"/> watches)
/// CPU, memory and I/O. Container series carry the labels engine, container, project, service and image.
/// </summary>
public sealed class ObservedMetrics
{
    private readonly EngineDirectory _engines;
    private readonly ContainerStore _store;
    private readonly ContainerStatsCollector _stats;
    private readonly UpdateChecker _updates;

    public ObservedMetrics(AppMetrics metrics, EngineDirectory engines, ContainerStore store, ContainerStatsCollector stats, UpdateChecker updates,
        LogFeeds logs, StatsFeeds statsFeeds, EngineEventBroadcast events)
    {
        (_engines, _store, _stats, _updates) = (engines, store, stats, updates);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("dockerdash.streams", () => new[]
        {
            new Measurement<int>(logs.OpenStreams, new KeyValuePair<string, object?>("kind", "logs")),
            new Measurement<int>(statsFeeds.OpenStreams, new KeyValuePair<string, object?>("kind", "stats")),
            new Measurement<int>(events.SubscriberCount, new KeyValuePair<string, object?>("kind", "events")),
        }, description: "Live streams now open: engine log and stats streams, and event subscribers.");
        meter.CreateObservableGauge("dockerdash.engine.up", EngineUp, description: "1 while DockerDash is connected to the engine, else 0.");
        meter.CreateObservableGauge("dockerdash.container.running", () => Containers(c => c.IsRunning ? 1 : 0), description: "1 while the container runs.");
        meter.CreateObservableGauge("dockerdash.container.restarts", () => Containers(c => c.RestartCount), description: "Times the engine restarted the container.");
        meter.CreateObservableGauge("dockerdash.container.healthy", () => Containers(c => c.Health switch { "healthy" => 1, "unhealthy" => 0, _ => (int?)null }),
            description: "1 healthy, 0 unhealthy; absent for a container without a health check or still starting.");
        meter.CreateObservableGauge("dockerdash.container.update.available", UpdateAvailable,
            description: "1 when the container's tag points at a newer image, 0 when it is up to date; absent where not known.");
        meter.CreateObservableGauge("dockerdash.container.cpu.percent", () => Sampled(s => s.CpuPercent), description: "CPU use, 100 = one CPU.");
        meter.CreateObservableGauge("dockerdash.container.memory", () => Sampled(s => s.MemoryBytes), "By", "Memory in use, without the page cache.");
        meter.CreateObservableGauge("dockerdash.container.memory.limit", () => Sampled(s => s.MemoryLimitBytes), "By", "The memory limit (the host's memory without one).");
        meter.CreateObservableCounter("dockerdash.container.network.receive", () => Sampled(s => s.NetRxBytes), "By", "Network bytes received since the container started.");
        meter.CreateObservableCounter("dockerdash.container.network.transmit", () => Sampled(s => s.NetTxBytes), "By", "Network bytes sent since the container started.");
        meter.CreateObservableCounter("dockerdash.container.block.read", () => Sampled(s => s.BlockReadBytes), "By", "Block device bytes read since the container started.");
        meter.CreateObservableCounter("dockerdash.container.block.write", () => Sampled(s => s.BlockWriteBytes), "By", "Block device bytes written since the container started.");
    }

    private IEnumerable<Measurement<int>> EngineUp() =>
        _engines.Connections.Select(c => new Measurement<int>(c.State.IsUp ? 1 : 0,
            new KeyValuePair<string, object?>("engine", c.Name), new KeyValuePair<string, object?>("transport", EngineTransports.Code(c.Endpoint.Transport)),
            new KeyValuePair<string, object?>("product", c.State.Product)));

    private IEnumerable<Measurement<int>> Containers(Func<ContainerInfo, int?> value) =>
        _store.Snapshot().Select(c => (Container: c, Value: value(c))).Where(m => m.Value is not null).Select(m => new Measurement<int>(m.Value!.Value, Labels(m.Container)));

    private IEnumerable<Measurement<int>> UpdateAvailable() =>
        _store.Snapshot().Select(c => (Container: c, State: _updates.For(c.Key)))
            .Where(u => u.State?.Status is UpdateStatus.Available or UpdateStatus.UpToDate)
            .Select(u => new Measurement<int>(u.State!.Status == UpdateStatus.Available ? 1 : 0, Labels(u.Container)));

    private IEnumerable<Measurement<T>> Sampled<T>(Func<StatsSample, T> value)
        where T : struct =>
        _stats.Latest.Select(s => (Container: _store.Find(s.Key), s.Sample)).Where(s => s.Container is not null)
            .Select(s => new Measurement<T>(value(s.Sample), Labels(s.Container!)));

    private static KeyValuePair<string, object?>[] Labels(ContainerInfo c) =>
    [
        new("engine", c.Engine),
        new("container", c.Name),
        new("project", c.ComposeProject ?? ""),
        new("service", c.Labels.GetValueOrDefault("com.docker.compose.service") ?? ""),
        new("image", c.Image),
    ];
}
