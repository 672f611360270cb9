using System.Runtime.CompilerServices;
using System.Text;
using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Logs;

/// <summary>
/// A container's logs for pages, the hub and downloads, through the gate (<c>container.logs</c>):
/// first the history asked for, then the live lines from the shared feed, with no gap and no
/// duplicate between them (or after a reconnect that passes <see cref="LogQuery.After"/>).
/// </summary>
public sealed class LogService(OperationGate gate, LogFeeds feeds, CallerContext caller, DockerDash.Metrics.AppMetrics metrics, TimeProvider time)
{
    /// <summary>Margin for an engine whose clock runs behind ours: the live stream starts this early; duplicates are dropped.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    /// <summary>A container's log line by line: <see cref="StreamChunksAsync"/> unpacked.</summary>
    public async IAsyncEnumerable<LogEntry> StreamAsync(ContainerKey key, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in StreamChunksAsync(key, query, cancellationToken))
        {
            if (chunk.Skipped > 0)
            {
                yield return LogEntry.SkippedLines(chunk.Skipped);
                continue;
            }

            foreach (var line in chunk.Lines)
            {
                yield return LogEntry.Of(line);
            }
        }
    }

    /// <summary>
    /// A container's log in the chunks it arrives in: history as the engine's reads give it, then the live feed's
    /// batches. A live batch that needs no filtering for this viewer is passed on as the very list every other viewer
    /// gets (<see cref="LogChunk.Shared"/>), so that what is made of it (the hub's encoded messages) is made once.
    /// </summary>
    public async IAsyncEnumerable<LogChunk> StreamChunksAsync(ContainerKey key, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var who = caller.Current;
        var matcher = query.Checked().Matcher();
        var tty = await gate.RunAsync(who, EngineOperations.ContainerLogs, key.Engine, key.Id, async (client, ct) =>
            (await client.Containers.InspectContainerAsync(key.Id, ct)).Config?.Tty ?? false, cancellationToken);

        // Join the live feed before reading history, so that nothing written in between is lost.
        var live = query.Follows
            ? feeds.Join(key, tty, (time.GetUtcNow() - ClockMargin).ToUnixTimeMilliseconds() * 1_000_000)
            : default;
        try
        {
            // stdout and stderr are timestamped by separate engine routines, so a log is not strictly in time
            // order: history is filtered only by the resume point, and live lines only against what history sent.
            var after = query.After ?? new LogPosition(long.MinValue, 0);
            var last = after;
            var history = query.After is { } resume
                ? EngineLogReader.Query(follow: false, tail: null, sinceNanos: resume.TimeNanos, untilNanos: query.UntilNanos)
                : EngineLogReader.Query(follow: false, tail: query.SinceNanos is null ? query.Tail : null, sinceNanos: query.SinceNanos, untilNanos: query.UntilNanos);
            var stream = await gate.RunHttpAsync(who, EngineOperations.ContainerLogs, key.Engine, key.Id, (http, ct) =>
                EngineLogReader.OpenAsync(http, key.Id, history, ct), cancellationToken);
            await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, tty, cancellationToken, incompleteLastLine: live.Viewer is null))
            {
                var lines = Pass(batch, after, matcher);
                foreach (var line in lines)
                {
                    last = line.Position > last ? line.Position : last;
                }

                if (lines.Count > 0)
                {
                    yield return new LogChunk(lines);
                }
            }

            if (live.Viewer is null)
            {
                yield break;
            }

            long skipped = 0;
            await foreach (var batch in live.Viewer.Queue.ReadAllAsync(n => skipped += n, cancellationToken))
            {
                if (skipped > 0)
                {
                    metrics.LogLinesSkipped(skipped);
                    yield return LogChunk.SkippedLines(skipped);
                    skipped = 0;
                }

                var lines = Pass(batch, last, matcher);
                if (lines.Count > 0)
                {
                    yield return new LogChunk(lines, Shared: ReferenceEquals(lines, batch));
                }
            }
        }
        finally
        {
            if (live.Viewer is not null)
            {
                live.Feed.Leave(live.Viewer);
            }
        }
    }

    /// <summary>The lines of <paramref name="batch"/> after <paramref name="after"/> that the filter keeps: the batch itself when that is all of them.</summary>
    private static IReadOnlyList<LogLine> Pass(IReadOnlyList<LogLine> batch, LogPosition after, Func<LogLine, bool>? matcher)
    {
        List<LogLine>? kept = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var line = batch[i];
            var keep = line.Position > after && matcher?.Invoke(line) != false;
            if (!keep && kept is null)
            {
                kept = batch.Take(i).ToList();
            }
            else if (keep && kept is not null)
            {
                kept.Add(line);
            }
        }

        return kept ?? batch;
    }

    /// <summary>
    /// The live logs of several containers merged as they arrive (a compose project), each entry naming
    /// its container. Every container is read through the gate as on its own; one that cannot be read
    /// shows as an engine line rather than ending the others.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> StreamMergedAsync(IReadOnlyList<ContainerInfo> containers, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var merged = System.Threading.Channels.Channel.CreateBounded<LogEntry>(new System.Threading.Channels.BoundedChannelOptions(10_000) { FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = containers.Select(c => Task.Run(async () =>
        {
            try
            {
                await foreach (var entry in StreamAsync(c.Key, query, stop.Token))
                {
                    await merged.Writer.WriteAsync(entry with { Container = c.Name }, stop.Token);
                }
            }
            catch (OperationFailedException e)
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
                await merged.Writer.WriteAsync(new LogEntry(new LogLine(LogSource.System, now, e.Message, new LogPosition(now, 0)), Container: c.Name), stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The view closed.
            }
        }, CancellationToken.None)).ToList();
        _ = Task.WhenAll(readers).ContinueWith(_ => merged.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            await foreach (var entry in merged.Reader.ReadAllAsync(cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>Writes the container's whole log as text, streamed from the engine (not from any view's buffer).</summary>
    public async Task WriteAllAsync(ContainerKey key, Stream output, bool timestamps, CancellationToken cancellationToken)
    {
        var who = caller.Current;
        gate.Authorize(who, EngineOperations.ContainerLogsDownload, key.Engine, key.Id);
        var tty = await gate.RunAsync(who, EngineOperations.ContainerLogs, key.Engine, key.Id, async (client, ct) =>
            (await client.Containers.InspectContainerAsync(key.Id, ct)).Config?.Tty ?? false, cancellationToken);
        var stream = await gate.RunHttpAsync(who, EngineOperations.ContainerLogsDownload, key.Engine, key.Id, (http, ct) =>
            EngineLogReader.OpenAsync(http, key.Id, EngineLogReader.Query(follow: false, tail: null, sinceNanos: null, untilNanos: null), ct), cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, tty, cancellationToken))
        {
            foreach (var line in batch)
            {
                if (timestamps)
                {
                    await writer.WriteAsync(line.TimeText);
                    await writer.WriteAsync(' ');
                }

                if (line.Source != LogSource.Stdout)
                {
                    await writer.WriteAsync(line.Source == LogSource.Stderr ? "[stderr] " : "[engine] ");
                }

                await writer.WriteLineAsync(line.Text);
            }
        }
    }
}
