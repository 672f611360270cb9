using System.Buffers.Binary;
using System.Text;
using DockerDash.Logs;

namespace DockerDash.Tests.Logs;

public class LogFrameDecoderTests
{
    private const string T1 = "2026-11-27T14:07:16.123456789Z";
    private const string T2 = "2026-11-27T14:07:16.5Z";

    private static byte[] Frame(byte type, string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + body.Length];
        frame[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    private static List<LogLine> Decode(bool tty, IEnumerable<byte[]> chunks)
    {
        var decoder = new LogFrameDecoder(tty);
        var lines = new List<LogLine>();
        foreach (var chunk in chunks)
        {
            decoder.Feed(chunk, lines);
        }

        decoder.Flush(lines);
        return lines;
    }

    /// <summary>The same bytes cut into pieces of <paramref name="size"/>: headers and text split anywhere.</summary>
    private static IEnumerable<byte[]> Cut(byte[] all, int size) => all.Chunk(size);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Frames_split_anywhere_give_the_same_lines(int chunk)
    {
        var stream = Frame(1, $"{T1} hello\n").Concat(Frame(2, $"{T2} oops\n")).Concat(Frame(1, $"{T2} again\n")).ToArray();

        var lines = Decode(tty: false, Cut(stream, chunk));

        Assert.Equal(
            [(LogSource.Stdout, "hello", "1795788436123456789:0"), (LogSource.Stderr, "oops", "1795788436500000000:0"), (LogSource.Stdout, "again", "1795788436500000000:1")],
            lines.Select(l => (l.Source, l.Text, l.Position.ToString())));
        Assert.Equal(T1, lines[0].TimeText);
        Assert.Equal("2026-11-27T14:07:16.500000000Z", lines[1].TimeText);
    }

    [Fact]
    public void A_message_the_engine_split_into_16_KiB_parts_is_one_line()
    {
        var big = new string('x', 16 * 1024) + "é" + new string('y', 16 * 1024) + "end";
        var bytes = Encoding.UTF8.GetBytes(big);
        // The engine cuts at 16 KiB of bytes, here through the two bytes of "é"; every part repeats the first timestamp.
        var parts = new[] { bytes[..16385], bytes[16385..32770], bytes[32770..] };
        var stream = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            var payload = Encoding.ASCII.GetBytes(T1 + " ").Concat(parts[i]).Concat(i == parts.Length - 1 ? "\n"u8.ToArray() : []).ToArray();
            var frame = new byte[8 + payload.Length];
            frame[0] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
            payload.CopyTo(frame, 8);
            stream.AddRange(frame);
        }

        var line = Assert.Single(Decode(tty: false, Cut([.. stream], 1000)));

        Assert.Equal(big, line.Text);
    }

    [Fact]
    public void Frame_type_3_is_an_engine_error_line()
    {
        var stream = Frame(1, $"{T1} fine\n").Concat(Frame(3, "Error grabbing logs: log file is corrupt\n")).ToArray();

        var lines = Decode(tty: false, [stream]);

        Assert.Equal((LogSource.System, "Error grabbing logs: log file is corrupt"), (lines[1].Source, lines[1].Text));
        Assert.Equal(lines[0].TimeNanos, lines[1].TimeNanos);
    }

    [Fact]
    public void A_tty_stream_is_raw_text_with_a_timestamp_on_each_line()
    {
        var raw = Encoding.UTF8.GetBytes($"{T1} \u001b[32mgreen\u001b[0m\r\n{T2} second\r\n{T2} last without newline");

        var lines = Decode(tty: true, Cut(raw, 5));

        Assert.Equal(["\u001b[32mgreen\u001b[0m", "second", "last without newline"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogSource.Stdout, l.Source));
        Assert.Equal(["1795788436123456789:0", "1795788436500000000:0", "1795788436500000000:1"], lines.Select(l => l.Position.ToString()));
    }

    [Fact]
    public void An_empty_line_is_kept()
    {
        var lines = Decode(tty: false, [Frame(1, $"{T1} \n")]);

        Assert.Equal("", Assert.Single(lines).Text);
    }

    [Theory]
    [InlineData("2026-11-27T14:07:16Z", 1795788436000000000L)]
    [InlineData("2026-11-27T14:07:16.000000001Z", 1795788436000000001L)]
    [InlineData("2026-11-27T14:07:16.1Z", 1795788436100000000L)]
    public void Timestamps_keep_nanoseconds(string text, long nanos)
    {
        Assert.Equal(nanos, LogTimestamp.Parse(text));
        Assert.Equal(nanos, LogTimestamp.Parse(LogTimestamp.Format(nanos)));
        Assert.Equal(nanos.ToString(System.Globalization.CultureInfo.InvariantCulture).Insert(10, "."), LogTimestamp.ToEngineArgument(nanos));
    }

    [Fact]
    public void Positions_round_trip_and_order()
    {
        var a = new LogPosition(5, 0);
        var b = new LogPosition(5, 1);

        Assert.True(a < b);
        Assert.Equal(b, LogPosition.Parse(b.ToString()));
        Assert.Throws<FormatException>(() => LogPosition.Parse("yesterday"));
    }

    [Fact]
    public void A_ten_megabyte_line_keeps_64_KiB_and_says_how_many_bytes_were_cut()
    {
        var decoder = new LogFrameDecoder(tty: false);
        var lines = new List<LogLine>();
        var chunk = new string('x', 16 * 1024);
        decoder.Feed(Frame(1, $"{T1} {chunk}"), lines);
        for (var sent = chunk.Length; sent < 10_000_000; sent += chunk.Length)
        {
            decoder.Feed(Frame(1, $"{T1} {chunk}"), lines);
        }

        decoder.Feed(Frame(1, $"{T1} end\n"), lines);
        decoder.Feed(Frame(1, $"{T2} next\n"), lines);

        Assert.Equal(2, lines.Count);
        Assert.StartsWith(new string('x', 1000), lines[0].Text, StringComparison.Ordinal);
        Assert.True(lines[0].Text.Length < LogFrameDecoder.MaxLineBytes + 200, $"{lines[0].Text.Length} characters kept");
        Assert.Matches(@"… \[[\d,]+ more bytes of this line cut: lines are kept to 64 KiB\]$", lines[0].Text);
        Assert.Equal("next", lines[1].Text);
    }
}
