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

    private byte[]? _json;
    private byte[]? _messagePack;

    private HubLogPiece(IReadOnlyList<HubLogEntry> entries) => Entries = entries;

    public IReadOnlyList<HubLogEntry> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>A chunk of a log stream as pieces of at most <paramref name="max"/> entries: for a shared batch, the ones every viewer sends.</summary>
    public static IReadOnlyList<HubLogPiece> Of(LogChunk chunk, int max) =>
        chunk.Skipped > 0 ? [new HubLogPiece([new HubLogEntry(null, null, null, null, chunk.Skipped)])]
        : chunk.Shared ? SharedPieces.GetValue(chunk.Lines, lines => FromLines(lines, max))
        : FromLines(chunk.Lines, max);

    private static HubLogPiece[] FromLines(IReadOnlyList<LogLine> lines, int max) =>
        lines.Chunk(max).Select(part => new HubLogPiece(part.Select(l => HubLogEntry.From(LogEntry.Of(l))).ToArray())).ToArray();

    /// <summary>The entries as JSON array elements separated by commas, without the brackets, escaped as <paramref name="writerOptions"/> say.</summary>
    public ReadOnlySpan<byte> Json(JsonSerializerOptions options, JsonWriterOptions writerOptions)
    {
        if (_json is null)
        {
            var buffer = new ArrayBufferWriter<byte>(Count * 128);
            using (var writer = new Utf8JsonWriter(buffer, writerOptions with { Indented = false }))
            {
                JsonSerializer.Serialize(writer, Entries, options);
            }

            _json = buffer.WrittenSpan[1..^1].ToArray();
        }

        return _json;
    }

    /// <summary>The entries as consecutive MessagePack values, without an array header.</summary>
    public ReadOnlySpan<byte> MessagePack(MessagePackSerializerOptions options)
    {
        if (_messagePack is null)
        {
            var buffer = new ArrayBufferWriter<byte>(Count * 128);
            var writer = new MessagePackWriter(buffer);
            var formatter = options.Resolver.GetFormatterWithVerify<HubLogEntry>();
            foreach (var entry in Entries)
            {
                formatter.Serialize(ref writer, entry, options);
            }

            writer.Flush();
            _messagePack = buffer.WrittenSpan.ToArray();
        }

        return _messagePack;
    }
}

/// <summary>Writes a <see cref="HubLogBatch"/> for the JSON protocol as one array of its pieces' ready-made elements.</summary>
public sealed class HubLogBatchJsonConverter : JsonConverter<HubLogBatch>
{
    // One buffer per thread, reused: a message is assembled here and copied into the connection's output at once.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public override HubLogBatch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Log batches are only sent.");

    public override void Write(Utf8JsonWriter writer, HubLogBatch value, JsonSerializerOptions options)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        buffer.Write("["u8);
        for (var i = 0; i < value.Pieces.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }

            buffer.Write(value.Pieces[i].Json(options, writer.Options));
        }

        buffer.Write("]"u8);
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }
}

/// <summary>Writes a <see cref="HubLogBatch"/> for the MessagePack protocol: an array header, then its pieces' ready-made values.</summary>
public sealed class HubLogBatchMessagePackFormatter(MessagePackSerializerOptions entryOptions) : IMessagePackFormatter<HubLogBatch>
{
    public void Serialize(ref MessagePackWriter writer, HubLogBatch value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(value.Count);
        foreach (var piece in value.Pieces)
        {
            writer.WriteRaw(piece.MessagePack(entryOptions));
        }
    }

    public HubLogBatch Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("Log batches are only sent.");

    /// <summary>The hub's MessagePack options with this formatter in front of <paramref name="options"/>' own resolver.</summary>
    public static MessagePackSerializerOptions With(MessagePackSerializerOptions options) =>
        options.WithResolver(MessagePack.Resolvers.CompositeResolver.Create(
            [new HubLogBatchMessagePackFormatter(options)], [options.Resolver]));
}
