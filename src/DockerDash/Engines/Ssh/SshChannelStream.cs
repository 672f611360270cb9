using Docker.DotNet.Handler.Abstractions;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// One SSH channel running <c>docker system dial-stdio</c>, as a stream: reads are the command's standard output,
/// writes its standard input, <see cref="CloseWrite"/> its end of input (for attached consoles). When the command
/// ends before the engine said anything, the read fails with what it printed on standard error (say, that the
/// host has no <c>docker</c> command). A lost SSH connection is an <see cref="IOException"/>, as a dropped socket is
/// to HTTP; closing the stream never throws (HTTP's connection pool closes idle connections from a timer, where an
/// exception would end the process).
/// </summary>
public sealed class SshChannelStream : WriteClosableStream
{
    private readonly SshCommand _command;
    private readonly Task _run;
    private readonly Stream _input;
    private readonly string _host;
    private readonly Action _released;
    private bool _anythingRead;
    private int _disposed;

    private SshChannelStream(SshCommand command, Task run, Stream input, string host, Action released) =>
        (_command, _run, _input, _host, _released) = (command, run, input, host, released);

    public static SshChannelStream Start(SshCommand command, string host, Action released)
    {
        try
        {
            var run = command.ExecuteAsync(CancellationToken.None);
            // Whatever the command's end, it is read here or by the reader; never an unobserved task exception.
            _ = run.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            return new SshChannelStream(command, run, command.CreateInputStream(), host, released);
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override bool CanCloseWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _command.OutputStream.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsLost(e))
        {
            throw Lost(e);
        }

        if (read > 0)
        {
            _anythingRead = true;
        }
        else if (!_anythingRead)
        {
            await EndedWithoutAWordAsync();
        }

        return read;
    }

    private async Task EndedWithoutAWordAsync()
    {
        await Task.WhenAny(_run, Task.Delay(TimeSpan.FromSeconds(2)));
        if (_command.ExitStatus is { } status and not 0)
        {
            var error = _command.Error.Trim();
            throw new EngineSshException($"on {_host}, '{_command.CommandText}' ended with status {status}{(error.Length > 0 ? ": " + error : "")}");
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Send(() => _input.Write(buffer, offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Send(() => _input.Write(buffer.Span));
        return ValueTask.CompletedTask;
    }

    public override void Flush() => Send(_input.Flush);

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <summary>Sends end-of-input: the engine sees its side of the socket closed for reading, as with a unix socket's shutdown.</summary>
    public override void CloseWrite() => Send(_input.Dispose);

    private void Send(Action send)
    {
        try
        {
            send();
        }
        catch (Exception e) when (IsLost(e))
        {
            throw Lost(e);
        }
    }

    // A socket error (broken pipe, reset) is what SSH.NET lets through when the connection dropped under a send.
    private static bool IsLost(Exception e) => e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException;

    private IOException Lost(Exception e) => new($"the SSH connection to {_host} was lost: {e.Message}", e);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                // Ending input sends EOF on the channel, which fails when the connection under it is gone: nothing is left to close then.
                _input.Dispose();
                _command.Dispose();
            }
            catch (Exception e) when (IsLost(e))
            {
            }
            finally
            {
                _released();
            }
        }

        base.Dispose(disposing);
    }
}
