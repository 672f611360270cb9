using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;

namespace DockerDash.Testing;

/// <summary>A local HTTP listener that records every POST it receives (the body as JSON): a webhook's receiving end.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly FakeHttpServer _server;
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();

    public WebhookReceiver()
    {
        _server = new FakeHttpServer(request =>
        {
            if (Refusing)
            {
                return (503, "");
            }

            using var body = JsonDocument.Parse(request.InputStream);
            _received.Writer.TryWrite(body.RootElement.Clone());
            return (204, "");
        });
        Url = new Uri(_server.Address, "hook/");
    }

    public Uri Url { get; }

    /// <summary>While true, every call is answered 503 and not recorded: a receiver that is down.</summary>
    public bool Refusing { get; set; }

    /// <summary>The next payload received, or a timeout failure.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no webhook call within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Payloads received and not yet taken.</summary>
    public int Waiting => _received.Reader.Count;

    public static int FreePort() => FakeHttpServer.FreePort();

    public void Dispose() => _server.Dispose();
}

/// <summary>A receiver that accepts connections and never answers: a webhook target that hangs.</summary>
public sealed class HangingReceiver : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];

    public HangingReceiver()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook");
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    lock (_held)
                    {
                        _held.Add(client);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
    }

    public Uri Url { get; }

    /// <summary>While true, every call is answered 503 and not recorded: a receiver that is down.</summary>
    public bool Refusing { get; set; }

    /// <summary>Connections it holds open without answering.</summary>
    public int Held
    {
        get { lock (_held) { return _held.Count; } }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }
    }
}
