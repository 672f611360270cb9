using System.Runtime.CompilerServices;
using DockerDash.Engines;
using DockerDash.Operations;

namespace DockerDash.Logs;

/// <summary>Reads <c>GET /containers/{id}/logs</c> (always with timestamps) and yields whole lines as they arrive.</summary>
public static class EngineLogReader
{
    private const int ChunkSize = 64 * 1024;

    public static string Query(bool follow, int? tail, long? sinceNanos, long? untilNanos)
    {
        var query = $"stdout=1&stderr=1&timestamps=1&follow={(follow ? 1 : 0)}";
        if (tail is { } t)
        {
            query += $"&tail={t}";
        }

        if (sinceNanos is { } since)
        {
            query += "&since=" + LogTimestamp.ToEngineArgument(since);
        }

        if (untilNanos is { } until)
        {
            query += "&until=" + LogTimestamp.ToEngineArgument(until);
        }

        return query;
    }

    /// <summary>Opens the log stream; fails with the engine's words when it refuses (unknown container...).</summary>
    public static async Task<Stream> OpenAsync(HttpClient http, string id, string query, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(new Uri($"containers/{Uri.EscapeDataString(id)}/logs?{query}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new OperationFailedException(
                EngineErrors.EngineMessage(new Docker.DotNet.DockerApiException(response.StatusCode, body)),
                response.StatusCode == System.Net.HttpStatusCode.NotFound ? OperationFailure.NotFound : OperationFailure.Refused);
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>Decodes an open log stream into lines, batch by batch as the bytes arrive.</summary>
    /// <param name="incompleteLastLine">
    /// Whether a last line without its newline is still a line at the end of the stream. Not for the history
    /// before a live feed: the container may still be writing it, and the feed (which starts a few seconds
    /// back) delivers it whole; emitted here, the cut-short copy would stand in for it.
    /// </param>
    public static async IAsyncEnumerable<IReadOnlyList<LogLine>> ReadBatchesAsync(Stream stream, bool tty, [EnumeratorCancellation] CancellationToken cancellationToken, bool incompleteLastLine = true)
    {
        var decoder = new LogFrameDecoder(tty);
        var buffer = new byte[ChunkSize];
        await using (stream)
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                var lines = new List<LogLine>();
                if (read == 0)
                {
                    if (incompleteLastLine)
                    {
                        decoder.Flush(lines);
                    }

                    if (lines.Count > 0)
                    {
                        yield return lines;
                    }

                    yield break;
                }

                decoder.Feed(buffer.AsSpan(0, read), lines);
                if (lines.Count > 0)
                {
                    yield return lines;
                }
            }
        }
    }
}
