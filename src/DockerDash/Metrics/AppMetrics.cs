using System.Diagnostics.Metrics;

namespace DockerDash.Metrics;

/// <summary>
/// What DockerDash counts about itself, for <c>/metrics</c>: the counters and the histogram that the code reports to
/// as things happen. The gauges (what is, now) are read when scraped: <see cref="ObservedMetrics"/>.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "DockerDash";

    private readonly UpDownCounter<long> _hubConnections;
    private readonly Counter<long> _skippedLogLines;
    private readonly Counter<long> _reconnects;
    private readonly Histogram<double> _eventLag;
    private readonly Counter<long> _jobs;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _auditWrites;

    public AppMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _hubConnections = Meter.CreateUpDownCounter<long>("dockerdash.hub.connections", description: "Connections to /hubs/docker now open.");
        _skippedLogLines = Meter.CreateCounter<long>("dockerdash.log.lines.skipped", description: "Log lines a slow viewer was told it skipped.");
        _reconnects = Meter.CreateCounter<long>("dockerdash.engine.reconnects", description: "Times an engine's connection was lost and tried again.");
        _eventLag = Meter.CreateHistogram<double>("dockerdash.event.lag", "s", "From an engine event's own time to DockerDash passing it on.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _jobs = Meter.CreateCounter<long>("dockerdash.jobs", description: "Jobs (pulls, pushes, builds, ...) that ended, by kind and outcome.");
        _webhookDeliveries = Meter.CreateCounter<long>("dockerdash.webhook.deliveries", description: "Alert webhook deliveries, by outcome.");
        _auditWrites = Meter.CreateCounter<long>("dockerdash.audit.writes", description: "Audit records written to the database.");
    }

    /// <summary>The meter of these instruments (and the <c>otel_scope_name</c> of <see cref="ObservedMetrics"/>' series).</summary>
    public Meter Meter { get; }

    public void HubConnected() => _hubConnections.Add(1);

    public void HubDisconnected() => _hubConnections.Add(-1);

    public void LogLinesSkipped(long count) => _skippedLogLines.Add(count);

    public void EngineReconnecting(string engine) => _reconnects.Add(1, new KeyValuePair<string, object?>("engine", engine));

    public void EventPassedOn(TimeSpan lag) => _eventLag.Record(Math.Max(0, lag.TotalSeconds));

    public void JobEnded(string kind, string outcome) =>
        _jobs.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    public void WebhookDelivered(bool succeeded) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "delivered" : "failed"));

    public void AuditWritten(int count) => _auditWrites.Add(count);
}
