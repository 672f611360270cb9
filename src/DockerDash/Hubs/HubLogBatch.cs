using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DockerDash.Logs;
using MessagePack;
using MessagePack.Formatters;

namespace DockerDash.Hubs;

/// <summary>
/// What <c>StreamLogBatches</c> sends: an array of <see cref="HubLogEntry"/> on the wire, as before, made of pieces that
/// are each encoded once per protocol. A live batch of the shared feed is one piece for every viewer who gets it whole
/// (<see cref="LogChunk.Shared"/>), so 50 viewers cost one encoding and 50 copies, not 50 encodings.
/// </summary>
public sealed class HubLogBatch(IReadOnlyList<HubLogPiece> pieces)
{
    /// <summary>How much of a batch is handed to a connection's output at once: a few kilobytes, so that its buffers stay small.</summary>
    internal const int SliceBytes = 4000;

    public IReadOnlyList<HubLogPiece> Pieces { get; } = pieces;

    public int Count { get; } = pieces.Sum(p => p.Count);

    /// <summary>The entries, for anyone who wants to look rather than send.</summary>
    public IEnumerable<HubLogEntry> Entries => Pieces.SelectMany(p => p.Entries);
}

/// <summary>Consecutive log entries with their encodings, made at most once per protocol (by whichever connection needs one first).</summary>
public sealed class HubLogPiece
{
    // The shared feed's batches, each with its pieces: the batch lives as long as some viewer still holds it.
    private static readonly ConditionalWeakTable<IReadOnlyList<LogLine>, IReadOnlyList<HubLogPiece>> SharedPieces = [];

    // Set once by whichever connection needs it first (a race makes the same bytes twice, never a mix).
    private EncodedEntries? _json;
    private EncodedEntries? _messagePack;
    private HubLogLine[]? _lines;

    private HubLogPiece(IReadOnlyList<HubLogEntry> entries) => Entries = entries;

    public IReadOnlyList<HubLogEntry> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>The entries one by one, as <c>StreamLogs</c> sends them: made once, so that every viewer sends the same objects.</summary>
    public IReadOnlyList<HubLogLine> Lines => _lines ??= [.. Enumerable.Range(0, Count).Select(i => new HubLogLine(this, i))];

    /// <summary>A chunk of a log stream as pieces of at most <paramref name="max"/> entries: for a shared batch, the ones every viewer sends.</summary>
    public static IReadOnlyList<HubLogPiece> Of(LogChunk chunk, int max) =>
        chunk.Skipped > 0 ? [new HubLogPiece([new HubLogEntry(null, null, null, null, chunk.Skipped)])]
        : chunk.Shared ? SharedPieces.GetValue(chunk.Lines, lines => FromLines(lines, max))
        : FromLines(chunk.Lines, max);

    private static HubLogPiece[] FromLines(IReadOnlyList<LogLine> lines, int max) =>
        lines.Chunk(max).Select(part => new HubLogPiece(part.Select(l => HubLogEntry.From(LogEntry.Of(l))).ToArray())).ToArray();

    /// <summary>
    /// Entries <paramref name="from"/> onwards as JSON values separated by commas, as many as fit in <paramref name="maxBytes"/>
    /// (at least one); <paramref name="next"/> is the first entry left out. Escaped as <paramref name="writerOptions"/> say.
    /// </summary>
    public ReadOnlySpan<byte> Json(int from, int maxBytes, out int next, JsonSerializerOptions options, JsonWriterOptions writerOptions)
    {
        var json = _json ??= EncodeJson(options, writerOptions);
        var start = from == 0 ? 0 : json.Ends[from - 1] + 1;
        next = from + 1;
        while (next < Count && json.Ends[next] - start <= maxBytes)
        {
            next++;
        }

        return json.Bytes.AsSpan(start, json.Ends[next - 1] - start);
    }

    /// <summary>The entries separated by commas; where each ends (before its comma).</summary>
    private EncodedEntries EncodeJson(JsonSerializerOptions options, JsonWriterOptions writerOptions)
    {
        var buffer = new ArrayBufferWriter<byte>(Count * 128);
        var ends = new int[Count];
        using var writer = new Utf8JsonWriter(buffer, writerOptions with { Indented = false });
        for (var i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }

            JsonSerializer.Serialize(writer, Entries[i], options);
            writer.Flush();
            writer.Reset();
            ends[i] = buffer.WrittenCount;
        }

        return new EncodedEntries(buffer.WrittenSpan.ToArray(), ends);
    }

    /// <summary>The entries' encodings one after another, and where each ends.</summary>
    private sealed record EncodedEntries(byte[] Bytes, int[] Ends);

    /// <summary>The entries as consecutive MessagePack values, without an array header.</summary>
    public ReadOnlySpan<byte> MessagePack(MessagePackSerializerOptions options) => (_messagePack ??= EncodeMessagePack(options)).Bytes;

    /// <summary>Entry <paramref name="index"/> as one MessagePack value.</summary>
    public ReadOnlySpan<byte> MessagePack(int index, MessagePackSerializerOptions options)
    {
        var encoded = _messagePack ??= EncodeMessagePack(options);
        var start = index == 0 ? 0 : encoded.Ends[index - 1];
        return encoded.Bytes.AsSpan(start, encoded.Ends[index] - start);
    }

    private EncodedEntries EncodeMessagePack(MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(Count * 128);
        var ends = new int[Count];
        var formatter = options.Resolver.GetFormatterWithVerify<HubLogEntry>();
        for (var i = 0; i < Count; i++)
        {
            // A writer per entry, so that each end is known; its bytes go straight to the shared buffer.
            var writer = new MessagePackWriter(buffer);
            formatter.Serialize(ref writer, Entries[i], options);
            writer.Flush();
            ends[i] = buffer.WrittenCount;
        }

        return new EncodedEntries(buffer.WrittenSpan.ToArray(), ends);
    }
}

/// <summary>
/// One entry of a <see cref="HubLogPiece"/>, as <c>StreamLogs</c> sends it: on the wire exactly the <see cref="HubLogEntry"/> it
/// stands for, copied from the piece's encoding. A line of the shared feed is encoded once for every viewer, not once per viewer.
/// </summary>
public sealed class HubLogLine(HubLogPiece piece, int index)
{
    public HubLogPiece Piece { get; } = piece;

    public int Index { get; } = index;

    public HubLogEntry Entry => Piece.Entries[Index];
}

/// <summary>
/// Writes a <see cref="HubLogBatch"/> for the JSON protocol from its pieces' ready-made entries, a few kilobytes at a time:
/// the connection's output grows in small buffers, never in one as large as the batch (large buffers churn the
/// large-object heap into full collections), and without a call per entry. Each slice is several comma-separated array
/// elements handed over as one raw value: the writer puts the commas between slices, validation is skipped, the bytes
/// are exactly those of the entries written one by one (HubLogBatchTests compares them).
/// </summary>
public sealed class HubLogBatchJsonConverter : JsonConverter<HubLogBatch>
{
    public override HubLogBatch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Log batches are only sent.");

    public override void Write(Utf8JsonWriter writer, HubLogBatch value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var piece in value.Pieces)
        {
            for (var from = 0; from < piece.Count;)
            {
                writer.WriteRawValue(piece.Json(from, HubLogBatch.SliceBytes, out from, options, writer.Options), skipInputValidation: true);
            }
        }

        writer.WriteEndArray();
    }
}

/// <summary>Writes a <see cref="HubLogLine"/> for the JSON protocol: its piece's ready-made entry, as one raw value.</summary>
public sealed class HubLogLineJsonConverter : JsonConverter<HubLogLine>
{
    public override HubLogLine Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Log lines are only sent.");

    public override void Write(Utf8JsonWriter writer, HubLogLine value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Piece.Json(value.Index, 0, out _, options, writer.Options), skipInputValidation: true);
}

/// <summary>Writes a <see cref="HubLogLine"/> for the MessagePack protocol: its piece's ready-made entry.</summary>
public sealed class HubLogLineMessagePackFormatter(MessagePackSerializerOptions entryOptions) : IMessagePackFormatter<HubLogLine>
{
    public void Serialize(ref MessagePackWriter writer, HubLogLine value, MessagePackSerializerOptions options) =>
        writer.WriteRaw(value.Piece.MessagePack(value.Index, entryOptions));

    public HubLogLine Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("Log lines are only sent.");
}

/// <summary>
/// Writes a <see cref="HubLogBatch"/> for the MessagePack protocol: an array header, then its pieces' ready-made values,
/// copied a few kilobytes at a time (as the JSON converter, so that no buffer as large as the batch is asked for).
/// </summary>
public sealed class HubLogBatchMessagePackFormatter(MessagePackSerializerOptions entryOptions) : IMessagePackFormatter<HubLogBatch>
{
    public void Serialize(ref MessagePackWriter writer, HubLogBatch value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(value.Count);
        foreach (var piece in value.Pieces)
        {
            var bytes = piece.MessagePack(entryOptions);
            for (var at = 0; at < bytes.Length; at += HubLogBatch.SliceBytes)
            {
                writer.WriteRaw(bytes.Slice(at, Math.Min(HubLogBatch.SliceBytes, bytes.Length - at)));
            }
        }
    }

    public HubLogBatch Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("Log batches are only sent.");

    /// <summary>The hub's MessagePack options with the batch's and the line's formatters in front of <paramref name="options"/>' own resolver.</summary>
    public static MessagePackSerializerOptions With(MessagePackSerializerOptions options) =>
        options.WithResolver(MessagePack.Resolvers.CompositeResolver.Create(
            [new HubLogBatchMessagePackFormatter(options), new HubLogLineMessagePackFormatter(options)], [options.Resolver]));
}
