using System.Net;
using System.Text;

namespace DockerDash.Testing;

/// <summary>What a <see cref="FakeHttpServer"/> answers: a status, a body (JSON unless a Content-Type header says otherwise) and headers.</summary>
public sealed record FakeAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A local HTTP server answering fixed JSON per path and query (a stand-in for a service these machines cannot reach); it records what it was asked.</summary>
public sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, FakeAnswer> _answer;

    /// <param name="port">A fixed port (a service other processes were told about), else a free one.</param>
    public FakeHttpServer(Func<HttpListenerRequest, (int Status, string Body)> answer, int? port = null)
        : this(request => answer(request) is var (status, body) ? new FakeAnswer(status, body) : null!, port)
    {
    }

    /// <param name="host">The host name in its address (127.0.0.1, or localhost to play a second host on the same machine).</param>
    public FakeHttpServer(Func<HttpListenerRequest, FakeAnswer> answer, int? port = null, string host = "127.0.0.1")
    {
        _answer = answer;
        Address = new Uri($"http://{host}:{port ?? FreePort()}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    /// <summary>Every request as "METHOD path?query [Authorization]".</summary>
    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            lock (Requests)
            {
                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery} {context.Request.Headers["Authorization"]}".TrimEnd());
            }

            var answer = _answer(context.Request);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                if (name == "Content-Type")
                {
                    context.Response.ContentType = value;
                }
                else
                {
                    context.Response.Headers[name] = value;
                }
            }

            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}
