using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace DockerDash.Bench;

/// <summary>
/// A hub client that costs little CPU, so that a fan-out figure is the server's and not its clients': the SignalR
/// protocol spoken over a bare WebSocket (negotiate, handshake, one <c>StreamLogBatches</c> or <c>StreamLogs</c>
/// invocation), each message read in place (JSON with <see cref="Utf8JsonReader"/>, MessagePack with <see cref="MessagePackReader"/>),
/// no objects made per line. It still checks what matters: every numbered line arrives, in order.
/// </summary>
public sealed class LeanHubFollower : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private readonly ClientWebSocket _socket = new();
    private readonly bool _messagePack;
    private readonly string _method;
    private readonly ArrayBufferWriter<byte> _pending = new(1 << 20);
    private int _previous = -1;
    private bool _ended;

    private LeanHubFollower(bool messagePack, string method) => (_messagePack, _method) = (messagePack, method);

    public int Received { get; private set; }

    public long Skipped { get; private set; }

    /// <summary>How many stream items arrived (batches; for <c>StreamLogs</c>, one per line).</summary>
    public int Messages { get; private set; }

    public bool InOrder { get; private set; } = true;

    public long First { get; private set; }

    public long Last { get; private set; }

    /// <summary>
    /// Connects to <paramref name="hub"/> as the holder of <paramref name="cookies"/> and asks for the container's live
    /// log with <paramref name="method"/>: <c>StreamLogBatches</c> (an array of entries a message) or <c>StreamLogs</c> (one).
    /// </summary>
    public static async Task<LeanHubFollower> StartAsync(Uri hub, CookieContainer cookies, bool messagePack, string method, string engine, string container, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        using var negotiated = await http.PostAsync(new Uri(hub + "/negotiate?negotiateVersion=1"), null, cancellationToken);
        negotiated.EnsureSuccessStatusCode();
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("connectionToken").GetString();

        var follower = new LeanHubFollower(messagePack, method);
        follower._socket.Options.Cookies = cookies;
        var address = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws", Query = "id=" + Uri.EscapeDataString(token!) }.Uri;
        await follower._socket.ConnectAsync(address, cancellationToken);
        var handshake = Encoding.UTF8.GetBytes($"{{\"protocol\":\"{(messagePack ? "messagepack" : "json")}\",\"version\":1}}\u001e");
        await follower._socket.SendAsync(handshake, WebSocketMessageType.Text, true, cancellationToken);
        await follower.SendAsync(follower.Invocation(engine, container), cancellationToken);
        return follower;
    }

    /// <summary>Reads until line <paramref name="lastLine"/> arrived, the stream ended, or <paramref name="cancellationToken"/> gave up.</summary>
    public async Task ReadAsync(int lastLine, CancellationToken cancellationToken)
    {
        var handshakeDone = false;
        try
        {
            while (_previous < lastLine)
            {
                var memory = _pending.GetMemory(256 * 1024);
                var result = await _socket.ReceiveAsync(memory, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _pending.Advance(result.Count);
                var data = _pending.WrittenMemory;
                if (!handshakeDone)
                {
                    var end = data.Span.IndexOf(RecordSeparator);
                    if (end < 0)
                    {
                        continue;
                    }

                    handshakeDone = true;
                    data = data[(end + 1)..];
                }

                var used = _messagePack ? ReadMessagePack(data) : ReadJson(data.Span);
                if (used > 0 || data.Length < _pending.WrittenCount)
                {
                    Keep(data[used..]);
                }
                if (_ended)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Gave up waiting: what arrived is reported.
        }
    }

    /// <summary>Keeps the bytes of a message not yet complete for the next read (only after something was read: a big message is not copied again with every part of it).</summary>
    private void Keep(ReadOnlyMemory<byte> rest)
    {
        var copy = rest.ToArray();
        _pending.ResetWrittenCount();
        _pending.Write(copy);
    }

    private void Line(ReadOnlySpan<byte> text)
    {
        Last = Stopwatch.GetTimestamp();
        First = First == 0 ? Last : First;
        if (!Utf8Parser.TryParse(text, out int number, out _))
        {
            InOrder = false;
            return;
        }

        InOrder &= number > _previous;
        _previous = number;
        Received++;
    }

    // ---- JSON: messages end with 0x1e; a stream item is {"type":2,"invocationId":"1","item":[{"text":"N",...},...]},
    // or for StreamLogs {"type":2,"invocationId":"1","item":{"text":"N",...}}.

    private int ReadJson(ReadOnlySpan<byte> data)
    {
        var used = 0;
        int end;
        while ((end = data[used..].IndexOf(RecordSeparator)) >= 0)
        {
            ReadJsonMessage(data.Slice(used, end));
            used += end + 1;
        }

        return used;
    }

    private void ReadJsonMessage(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read(); // {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                _ended |= reader.GetInt32() is 3 or 7; // completion, close
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                Messages++;
                reader.Read(); // [ or {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadJsonEntry(ref reader);
                }
                else
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadJsonEntry(ref reader);
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>One entry's properties, the reader on its opening brace; leaves it on the closing one.</summary>
    private void ReadJsonEntry(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            var isSkipped = !isText && reader.ValueTextEquals("skipped"u8);
            reader.Read();
            if (isText)
            {
                Line(reader.ValueSpan);
            }
            else if (isSkipped)
            {
                Skipped += reader.GetInt64();
            }
        }
    }

    // ---- MessagePack: each message is a varint length, then [type, headers, invocationId, item] for a stream item; the
    // item is an array of entries (maps), or for StreamLogs one entry.

    private int ReadMessagePack(ReadOnlyMemory<byte> data)
    {
        var used = 0;
        while (TryLength(data.Span[used..], out var length, out var prefix) && data.Length - used - prefix >= length)
        {
            ReadMessagePackMessage(data.Slice(used + prefix, length));
            used += prefix + length;
        }

        return used;
    }

    private static bool TryLength(ReadOnlySpan<byte> data, out int length, out int prefix)
    {
        length = 0;
        for (prefix = 0; prefix < Math.Min(5, data.Length); prefix++)
        {
            length |= (data[prefix] & 0x7f) << (7 * prefix);
            if ((data[prefix] & 0x80) == 0)
            {
                prefix++;
                return true;
            }
        }

        return false;
    }

    private void ReadMessagePackMessage(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        reader.ReadArrayHeader();
        var type = reader.ReadInt32();
        if (type != 2)
        {
            _ended |= type is 3 or 7;
            return;
        }

        Messages++;
        reader.Skip(); // headers
        reader.Skip(); // invocation id
        if (reader.NextMessagePackType == MessagePackType.Map)
        {
            ReadMessagePackEntry(ref reader);
            return;
        }

        var entries = reader.ReadArrayHeader();
        for (var i = 0; i < entries; i++)
        {
            ReadMessagePackEntry(ref reader);
        }
    }

    private void ReadMessagePackEntry(ref MessagePackReader reader)
    {
        var fields = reader.ReadMapHeader();
        for (var f = 0; f < fields; f++)
        {
            var key = reader.ReadStringSequence()!.Value.FirstSpan;
            if (reader.TryReadNil())
            {
                continue;
            }

            if (key.SequenceEqual("Text"u8))
            {
                Line(reader.ReadStringSequence()!.Value.FirstSpan);
            }
            else if (key.SequenceEqual("Skipped"u8))
            {
                Skipped += reader.ReadInt64();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private byte[] Invocation(string engine, string container)
    {
        if (!_messagePack)
        {
            return JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = 4,
                invocationId = "1",
                target = _method,
                arguments = new object[] { new { engine, container, tail = 0 } },
            }).Append(RecordSeparator).ToArray();
        }

        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(6);
        writer.Write(4);
        writer.WriteMapHeader(0);
        writer.Write("1");
        writer.Write(_method);
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(3);
        writer.Write("Engine");
        writer.Write(engine);
        writer.Write("Container");
        writer.Write(container);
        writer.Write("Tail");
        writer.Write(0);
        writer.WriteArrayHeader(0); // stream ids
        writer.Flush();
        var framed = new List<byte>();
        for (var length = (uint)body.WrittenCount; ; length >>= 7)
        {
            framed.Add((byte)(length < 0x80 ? length : (length & 0x7f) | 0x80));
            if (length < 0x80)
            {
                break;
            }
        }

        framed.AddRange(body.WrittenSpan.ToArray());
        return [.. framed];
    }

    private Task SendAsync(byte[] message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message, _messagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The server went first.
            }
        }

        _socket.Dispose();
    }
}
