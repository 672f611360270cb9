using System.Buffers;
using System.Net;
using System.Threading.Channels;
using DockerDash.Testing;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DockerDash.IntegrationTests;

/// <summary>A mail server on 127.0.0.1 (the SmtpServer package, in the test process) that keeps what it receives.</summary>
public sealed class SmtpReceiver : IDisposable
{
    private readonly Channel<MimeMessage> _received = Channel.CreateUnbounded<MimeMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public SmtpReceiver()
    {
        Port = WebhookReceiver.FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(_received.Writer));
        var server = new SmtpServer.SmtpServer(options, services);
        _serving = Task.Run(() => server.StartAsync(_stop.Token));
    }

    public int Port { get; }

    /// <summary>The settings that send DockerDash's mail here.</summary>
    public string[] Settings => ["--DockerDash:Smtp:Host=127.0.0.1", $"--DockerDash:Smtp:Port={Port}", "--DockerDash:Smtp:Security=None", "--DockerDash:Smtp:From=DockerDash <alerts@dockerdash.test>"];

    public async Task<MimeMessage> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(wait.Token);
    }

    public int Waiting => _received.Reader.Count;

    public void Dispose()
    {
        _stop.Cancel();
        _serving.ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }

    private sealed class Store(ChannelWriter<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            received.TryWrite(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
