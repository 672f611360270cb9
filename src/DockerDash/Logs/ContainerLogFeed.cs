using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Streaming;

namespace DockerDash.Logs;

/// <summary>
/// The one engine log stream of a container, shared by every viewer (pages and hub clients). It
/// follows across restarts of the container (re-opened from the last line's time, duplicates
/// dropped) and starts from <see cref="SinceNanos"/>, so that nothing between a viewer's history
/// and the live lines is lost.
/// </summary>
public sealed class ContainerLogFeed(ContainerKey key, bool tty, long sinceNanos, EngineConnection engine, ILogger logger)
    : SharedStream<IReadOnlyList<LogLine>>(key, LogFeeds.Linger, QueueCapacity, batch => batch.Count)
{
    // Lines travel in the batches the engine read gave (one queue write per batch, not per line) and are shared by
    // every viewer; a line costs a reference. Enough for a 100,000-line burst at engine speed.
    public const int QueueCapacity = 100_000;

    public bool Tty { get; } = tty;

    public long SinceNanos { get; } = sinceNanos;

    private LogPosition _last = new(sinceNanos, -1);

    /// <summary>
    /// Follows the log from the last line's time. A re-opened stream repeats what the last one sent from
    /// that time on (since is inclusive): those are dropped; within one stream every line is new, even one
    /// timestamped a hair earlier (stdout and stderr are timestamped by separate engine routines).
    /// </summary>
    protected override async Task ReadOnceAsync(CancellationToken cancellationToken)
    {
        var http = engine.Http ?? throw new InvalidOperationException($"engine {engine.Name} is not connected");
        var stream = await EngineLogReader.OpenAsync(http, Key.Id, EngineLogReader.Query(follow: true, tail: null, sinceNanos: _last.TimeNanos, untilNanos: null), cancellationToken);
        var sent = _last;
        await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, Tty, cancellationToken))
        {
            var fresh = batch.Where(l => l.Position > sent).ToArray();
            foreach (var line in fresh)
            {
                _last = line.Position > _last ? line.Position : _last;
            }

            if (fresh.Length > 0)
            {
                Deliver(fresh);
            }
        }
    }

    protected override void Ended(Exception reason) =>
        logger.LogDebug("Log stream of {Container} on {Engine} ended: {Error}", Key.Id[..Math.Min(12, Key.Id.Length)], Key.Engine, reason.Message);
}
