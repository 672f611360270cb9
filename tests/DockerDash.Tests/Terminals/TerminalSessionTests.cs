using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using DockerDash.Callers;
using DockerDash.Engines;
using DockerDash.Terminals;
using Microsoft.Extensions.Time.Testing;

namespace DockerDash.Tests.Terminals;

/// <summary>A session over a scripted stream (the engine's side is tested in the integration tests): input order, idle timeout, the end line, the recording.</summary>
public sealed class TerminalSessionTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    private readonly string _folder = Directory.CreateTempSubdirectory("dockerdash-session-test-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ScriptedStream _engine = new();
    private readonly List<string?> _finished = [];

    [Fact]
    public async Task Keys_reach_the_process_in_order_and_the_output_ends_with_how_the_process_ended()
    {
        await using var session = Open();
        session.Send("ls");
        session.Send(" -l\r");
        _engine.Answer("total 0\r\n");
        _engine.End();

        var output = await ReadAllAsync(session);

        Assert.Equal("ls -l\r", await _engine.WrittenAsync(6));
        Assert.StartsWith("total 0\r\n", output, StringComparison.Ordinal);
        Assert.Contains("[process exited with code 0]", output, StringComparison.Ordinal);
        Assert.Equal("process exited with code 0", session.Ending);
    }

    [Fact]
    public async Task An_engine_that_goes_away_mid_session_ends_it_with_a_line_saying_so()
    {
        await using var session = Open();
        _engine.Answer("$ ");
        _engine.Fail(new IOException("Connection reset by peer"));

        var output = await ReadAllAsync(session);

        Assert.Contains("[lost the connection to unix:///nowhere.sock: Connection reset by peer]", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_nobody_types_into_closes_after_the_idle_timeout_and_typing_keeps_it_open()
    {
        await using var session = Open();
        var reading = ReadAllAsync(session);

        _time.Advance(TimeSpan.FromMinutes(10));
        session.Send("x");
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(reading.IsCompleted);

        _time.Advance(TimeSpan.FromMinutes(6));
        var output = await reading;

        Assert.Contains("[closed: nobody typed for 15 min (DockerDash:Exec:IdleTimeout)]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recording_has_the_output_the_input_and_the_resizes_and_the_end_is_reported_once()
    {
        var session = Open();
        session.Send("echo hi\r");
        await _engine.WrittenAsync(8);
        _engine.Answer("hi\r\n");
        _engine.End();
        await ReadAllAsync(session);
        await session.DisposeAsync();
        await session.DisposeAsync();

        var recording = AsciicastRecorder.Read(await File.ReadAllTextAsync(Path.Combine(_folder, session.Id + ".cast")));
        Assert.Equal((80, 24), (recording.Cols, recording.Rows));
        Assert.Equal("echo hi\r", recording.Typed);
        Assert.StartsWith("hi\r\n", recording.Shown, StringComparison.Ordinal);
        Assert.Equal([null], _finished);
    }

    [Fact]
    public void A_recording_cut_short_is_read_up_to_where_it_stops()
    {
        var text = "{\"version\":2,\"width\":100,\"height\":30,\"title\":\"t\"}\n[0.1,\"o\",\"a\"]\n[0.2,\"i\",\"\\u001b[6;5Rb\"]\n[0.3,\"o\",\"c";

        var recording = AsciicastRecorder.Read(text);

        Assert.Equal("a", recording.Shown);
        Assert.Equal("\u001b[6;5Rb", recording.Typed);
        Assert.Equal("b", recording.TypedByPerson);
    }

    private TerminalSession Open()
    {
        var id = Guid.NewGuid().ToString("N");
        var start = new TerminalStart(id, null, Caller.Anonymous, new EngineEndpoint("local", new Uri("unix:///nowhere.sock"), null), "c1", "web", TerminalMode.Exec, "/bin/sh", "", true);
        var recordings = new TerminalRecordings(_folder, Microsoft.Extensions.Options.Options.Create(new TerminalOptions()), _time);
        return new TerminalSession(start, null!, new MultiplexedStream(_engine, false), recordings.Start(id, 80, 24, "test"), new ExitsWithZero((_, leftovers) => _finished.Add(leftovers)), _time, Idle);
    }

    private static async Task<string> ReadAllAsync(TerminalSession session)
    {
        var output = new StringBuilder();
        await foreach (var text in session.ReadAsync())
        {
            output.Append(text);
        }

        return output.ToString();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class ExitsWithZero(Action<TerminalSession, string?> finished) : TerminalEnd(finished)
    {
        public override Task<string> DescribeAsync(IDockerClient client, CancellationToken cancellationToken) => Task.FromResult("process exited with code 0");

        public override Task ResizeAsync(IDockerClient client, int cols, int rows, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The engine's side of a raw (TTY) stream: what the test answers is read; what the session writes is kept.</summary>
    private sealed class ScriptedStream : Stream
    {
        private readonly Channel<byte[]> _answers = Channel.CreateUnbounded<byte[]>();
        private readonly Channel<byte> _written = Channel.CreateUnbounded<byte>();
        private byte[] _pending = [];

        public void Answer(string text) => _answers.Writer.TryWrite(Encoding.UTF8.GetBytes(text));

        public void End() => _answers.Writer.TryComplete();

        public void Fail(Exception error) => _answers.Writer.TryComplete(error);

        public async Task<string> WrittenAsync(int count)
        {
            var bytes = new byte[count];
            for (var i = 0; i < count; i++)
            {
                bytes[i] = await _written.Reader.ReadAsync();
            }

            return Encoding.UTF8.GetString(bytes);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pending.Length == 0)
            {
                if (!await _answers.Reader.WaitToReadAsync(cancellationToken))
                {
                    return 0;
                }

                _pending = await _answers.Reader.ReadAsync(cancellationToken);
            }

            var n = Math.Min(buffer.Length, _pending.Length);
            _pending.AsSpan(0, n).CopyTo(buffer.Span);
            _pending = _pending[n..];
            return n;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            foreach (var b in buffer.Span)
            {
                _written.Writer.TryWrite(b);
            }

            return ValueTask.CompletedTask;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class TerminalSessionsTests
{
    [Fact]
    public void A_user_holds_at_most_the_configured_number_of_consoles_and_a_closed_one_frees_its_place()
    {
        var sessions = new TerminalSessions(Microsoft.Extensions.Options.Options.Create(new TerminalOptions { MaxSessionsPerUser = 2 }));
        sessions.Reserve("user:1");
        sessions.Reserve("user:1");
        sessions.Reserve("user:2");

        var refused = Assert.Throws<DockerDash.Operations.OperationFailedException>(() => sessions.Reserve("user:1"));
        Assert.Contains("You have 2 consoles open, the most allowed (DockerDash:Exec:MaxSessionsPerUser)", refused.Message, StringComparison.Ordinal);

        sessions.Unreserve("user:1");
        sessions.Reserve("user:1");
        Assert.Equal(2, sessions.OpenBy("user:1"));
    }
}
