using System.Buffers.Binary;
using System.Text;

namespace DockerDash.Logs;

/// <summary>
/// Turns the bytes of <c>GET /containers/{id}/logs?timestamps=1</c> into whole lines. Non-TTY
/// containers send frames (an 8-byte header: stream type, three zero bytes, big-endian length);
/// TTY containers send the raw terminal stream. Each message starts with its RFC 3339 timestamp;
/// messages over 16 KiB come as several partial frames, the last one ending in a newline, which
/// are joined back into one line. Frame type 3 carries the engine's own errors. A line is kept to
/// <see cref="MaxLineBytes"/>; the rest is counted and said at its end, so a container printing megabytes
/// without a newline costs no more memory than that.
/// </summary>
public sealed class LogFrameDecoder(bool tty)
{
    /// <summary>The most of one line that is kept (64 KiB).</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int HeaderSize = 8;
    private readonly byte[] _header = new byte[HeaderSize];
    private readonly Dictionary<LogSource, Pending> _pending = [];
    private int _headerFilled;
    private LogSource _frameSource;
    private byte[] _frame = [];
    private int _frameFilled;
    private int _frameLength = -1;
    private long _lastTime;
    private int _index = -1;

    /// <summary>Decodes <paramref name="data"/>, adding every line it completes to <paramref name="lines"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<LogLine> lines)
    {
        if (tty)
        {
            FeedTerminal(data, lines);
            return;
        }

        while (!data.IsEmpty)
        {
            if (_frameLength < 0)
            {
                var take = Math.Min(HeaderSize - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled < HeaderSize)
                {
                    return;
                }

                _frameSource = _header[0] switch
                {
                    2 => LogSource.Stderr,
                    3 => LogSource.System,
                    _ => LogSource.Stdout,
                };
                _frameLength = (int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
                _headerFilled = 0;
                _frameFilled = 0;
                if (_frame.Length < _frameLength)
                {
                    _frame = new byte[Math.Max(_frameLength, 1024)];
                }
            }

            var copy = Math.Min(_frameLength - _frameFilled, data.Length);
            data[..copy].CopyTo(_frame.AsSpan(_frameFilled));
            _frameFilled += copy;
            data = data[copy..];
            if (_frameFilled == _frameLength)
            {
                FeedFrame(_frameSource, _frame.AsSpan(0, _frameLength), lines);
                _frameLength = -1;
            }
        }
    }

    /// <summary>At the end of the stream: a last line without its newline is still a line.</summary>
    public void Flush(List<LogLine> lines)
    {
        foreach (var (source, pending) in _pending.Where(p => p.Value.Count > 0).ToList())
        {
            if (tty)
            {
                pending.StripTimestamp(this);
            }

            Emit(source, pending, lines);
        }
    }

    /// <summary>
    /// One whole frame: a timestamp, then text. A frame that does not end in a newline is part of a
    /// longer message whose next part repeats the timestamp.
    /// </summary>
    private void FeedFrame(LogSource source, ReadOnlySpan<byte> frame, List<LogLine> lines)
    {
        var pending = PendingOf(source);
        frame = TakeTimestamp(frame, pending);
        while (!frame.IsEmpty)
        {
            var newline = frame.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Append(frame);
                return;
            }

            pending.Append(frame[..newline]);
            Emit(source, pending, lines);
            frame = frame[(newline + 1)..];
        }
    }

    /// <summary>A terminal stream arrives in any pieces: lines are collected whole, then their timestamps read.</summary>
    private void FeedTerminal(ReadOnlySpan<byte> data, List<LogLine> lines)
    {
        var pending = PendingOf(LogSource.Stdout);
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Append(data);
                return;
            }

            pending.Append(data[..newline]);
            pending.StripTimestamp(this);
            Emit(LogSource.Stdout, pending, lines);
            data = data[(newline + 1)..];
        }
    }

    private ReadOnlySpan<byte> TakeTimestamp(ReadOnlySpan<byte> data, Pending pending)
    {
        var space = data.IndexOf((byte)' ');
        if (space is > 0 and <= 40)
        {
            Span<char> text = stackalloc char[space];
            for (var i = 0; i < space; i++)
            {
                text[i] = (char)data[i];
            }

            if (LogTimestamp.Parse(text) is { } time)
            {
                pending.Time ??= time;
                return data[(space + 1)..];
            }
        }

        // The engine's own errors ("Error grabbing logs: ...") may come without a timestamp.
        pending.Time ??= _lastTime;
        return data;
    }

    private void Emit(LogSource source, Pending pending, List<LogLine> lines)
    {
        var time = pending.Time ?? _lastTime;
        _index = time == _lastTime ? _index + 1 : 0;
        _lastTime = time;
        var text = Encoding.UTF8.GetString(pending.Span).TrimEnd('\r');
        if (pending.Cut > 0)
        {
            text += $" … [{pending.Cut:N0} more bytes of this line cut: lines are kept to {MaxLineBytes / 1024} KiB]";
        }

        lines.Add(new LogLine(source, time, text, new LogPosition(time, _index)));
        pending.Clear();
    }

    private Pending PendingOf(LogSource source)
    {
        if (!_pending.TryGetValue(source, out var pending))
        {
            _pending[source] = pending = new Pending();
        }

        return pending;
    }

    /// <summary>The bytes of a message not yet ended by a newline, and the time of its first part.</summary>
    private sealed class Pending
    {
        private byte[] _buffer = new byte[256];

        public long? Time { get; set; }

        public int Count { get; private set; }

        /// <summary>Bytes of this line past <see cref="MaxLineBytes"/>, not kept.</summary>
        public long Cut { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Count);

        public void Append(ReadOnlySpan<byte> data)
        {
            // A terminal line still carries its timestamp here: room for it beyond the line's own limit.
            var room = MaxLineBytes + 64 - Count;
            if (data.Length > room)
            {
                Cut += data.Length - Math.Max(room, 0);
                data = data[..Math.Max(room, 0)];
            }

            if (Count + data.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Count + data.Length));
            }

            data.CopyTo(_buffer.AsSpan(Count));
            Count += data.Length;
        }

        public void Clear()
        {
            Count = 0;
            Cut = 0;
            if (_buffer.Length > 16 * 1024)
            {
                _buffer = new byte[256];
            }

            Time = null;
        }

        /// <summary>Takes the timestamp off the start of a collected terminal line.</summary>
        public void StripTimestamp(LogFrameDecoder decoder)
        {
            var rest = decoder.TakeTimestamp(Span, this);
            var skip = Count - rest.Length;
            if (skip > 0)
            {
                _buffer.AsSpan(skip, rest.Length).CopyTo(_buffer);
                Count = rest.Length;
            }
        }
    }
}
