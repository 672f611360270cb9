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
    : SharedStream<LogLine>(key, LogFeeds.Linger, QueueCapacity)
{
    // Lines are shared by every viewer; a slot costs a reference. Enough for a 100,000-line burst at engine speed.
    public const int QueueCapacity = 100_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public bool Tty { get; } = tty;

    public long SinceNanos { get; } = sinceNanos;

    protected override async Task PumpAsync(CancellationToken cancellationToken)
    {
        var last = new LogPosition(SinceNanos, -1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var http = engine.Http ?? throw new InvalidOperationException($"engine {engine.Name} is not connected");
                var stream = await EngineLogReader.OpenAsync(http, Key.Id, EngineLogReader.Query(follow: true, tail: null, sinceNanos: last.TimeNanos, untilNanos: null), cancellationToken);

                // A re-opened stream repeats what the last one sent from its last time on (since is inclusive):
                // drop those; within one stream every line is new, even one timestamped a hair earlier.
                var sent = last;
                await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, Tty, cancellationToken))
                {
                    foreach (var line in batch.Where(l => l.Position > sent))
                    {
                        last = line.Position > last ? line.Position : last;
                        Deliver(line);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug("Log stream of {Container} on {Engine} ended: {Error}", Key.Id[..Math.Min(12, Key.Id.Length)], Key.Engine, e.Message);
            }

            // The container stopped (or the engine went away): follow again, from the last line.
            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
