using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Components;
using DockerDash.Engines;

namespace DockerDash.Terminals;

/// <summary>
/// One open console: a process's (or the main process's) output as text, keystrokes sent in order, resizes,
/// an idle timeout, a recording, and at the end one line saying how it ended. Opened by <see cref="TerminalService"/>
/// through the gate, which authorised the whole session; disposing it ends the process it started.
/// </summary>
public sealed class TerminalSession : IAsyncDisposable
{
    private readonly IDockerClient _client;
    private readonly MultiplexedStream _stream;
    private readonly AsciicastRecorder _recorder;
    private readonly TerminalEnd _end;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _idle;
    private readonly Channel<string> _input = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _writing;
    private readonly long _startedTicks;
    private string? _closeReason;
    private int _finished;

    internal TerminalSession(TerminalStart start, IDockerClient client, MultiplexedStream stream, AsciicastRecorder recorder, TerminalEnd end, TimeProvider time, TimeSpan idleTimeout)
    {
        Start = start;
        _client = client;
        _stream = stream;
        _recorder = recorder;
        _end = end;
        _time = time;
        _idleTimeout = idleTimeout;
        _startedTicks = time.GetTimestamp();
        StartedAt = time.GetUtcNow();
        _idle = time.CreateTimer(_ => Close($"nobody typed for {Formats.Duration(idleTimeout)} (DockerDash:Exec:IdleTimeout)"), null, idleTimeout, Timeout.InfiniteTimeSpan);
        _writing = WriteInputAsync();
    }

    public TerminalStart Start { get; }

    public string Id => Start.Session;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Set once the session ended: the line that says how.</summary>
    public string? Ending { get; private set; }

    public TimeSpan Duration => _time.GetElapsedTime(_startedTicks);

    /// <summary>The output as it comes, ending with a line that says how the session ended. One reader.</summary>
    public async IAsyncEnumerable<string> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        while (true)
        {
            string? text = null;
            string? ending = null;
            try
            {
                var read = await _stream.ReadOutputAsync(buffer, 0, buffer.Length, reading.Token);
                if (read.EOF)
                {
                    ending = await _end.DescribeAsync(_client, CancellationToken.None);
                }
                else
                {
                    text = new string(chars, 0, decoder.GetChars(buffer, 0, read.Count, chars, 0, flush: false));
                }
            }
            catch (Exception) when (_closing.IsCancellationRequested)
            {
                ending = "closed: " + _closeReason;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (Exception e)
            {
                ending = EngineErrors.Describe(e, Start.Endpoint);
            }

            if (text is { Length: > 0 })
            {
                _recorder.Output(text);
                yield return text;
            }

            if (ending is not null)
            {
                Ending = ending;
                var line = $"\r\n\x1b[2m[{ending}]\x1b[0m\r\n";
                _recorder.Output(line);
                yield return line;
                yield break;
            }
        }
    }

    /// <summary>Keystrokes (or pasted text), sent in the order given; resets the idle timeout.</summary>
    public void Send(string keys)
    {
        if (keys.Length > 0 && _input.Writer.TryWrite(keys))
        {
            _idle.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>No more input: the process reads end-of-file (a script's stdin is done).</summary>
    public void EndInput() => _input.Writer.TryComplete();

    public async Task ResizeAsync(int cols, int rows, CancellationToken cancellationToken = default)
    {
        if (!Start.Tty || Ending is not null)
        {
            return;
        }

        cols = Math.Clamp(cols, 10, 500);
        rows = Math.Clamp(rows, 2, 300);
        _recorder.Resize(cols, rows);
        await _end.ResizeAsync(_client, cols, rows, cancellationToken);
    }

    /// <summary>Ends the session (its reader gets "closed: <paramref name="reason"/>").</summary>
    public void Close(string reason)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        _closeReason = reason;
        _closing.Cancel();
        _stream.Dispose();
    }

    private async Task WriteInputAsync()
    {
        try
        {
            await foreach (var keys in _input.Reader.ReadAllAsync(_closing.Token))
            {
                _recorder.Input(keys);
                var bytes = Encoding.UTF8.GetBytes(keys);
                await _stream.WriteAsync(bytes, 0, bytes.Length, _closing.Token);
            }

            _stream.CloseWrite();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The session ended: the reader says how.
        }
    }

    /// <summary>Ends the session if it still runs, stops what it started, closes the recording: once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        Close("the console was closed");
        _input.Writer.TryComplete();
        await _idle.DisposeAsync();
        await _writing;
        Ending ??= "closed: " + _closeReason;
        await _end.FinishAsync(this, _client);
        _recorder.Dispose();
        _closing.Dispose();
    }
}
