using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Threading.Channels;

namespace DockerDash.Alerts;

/// <summary>How a webhook has fared: shown on the alerts page so that a failing receiver is noticed.</summary>
public sealed record WebhookStatus(int WebhookId, long Delivered, long Failed, long Dropped, int Pending, DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailedAt, string? LastError);

/// <summary>
/// Sends firings to webhooks (and e-mail targets, through <see cref="AlertMailer"/>), each with its own bounded queue and worker: a slow or dead
/// receiver is retried with backoff (1, 2, 4, 8, 16 s) and then given up on, visibly, and never holds
/// up another webhook or the event pipeline (enqueuing never waits). A notice written down beforehand is settled when it
/// was delivered or given up on (<see cref="Settled"/>); one cut short by the app stopping stays owed.
/// </summary>
public sealed class WebhookDispatcher(IHttpClientFactory httpClients, AlertMailer mailer, TimeProvider time, DockerDash.Metrics.AppMetrics metrics, ILogger<WebhookDispatcher> logger)
    : IAsyncDisposable
{
    public const string HttpClientName = "webhooks";
    private const int QueueCapacity = 500;
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];

    private readonly TimeProvider _time = time;
    private readonly DockerDash.Metrics.AppMetrics _metrics = metrics;
    private readonly ILogger<WebhookDispatcher> _logger = logger;
    private readonly ConcurrentDictionary<int, Worker> _workers = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Raised when a notice written down beforehand (<see cref="AlertDelivery"/>) was delivered, or given up on (with why).</summary>
    public event Func<long, bool, string?, Task>? Settled;

    /// <summary>Queues a firing for each webhook, with the id of the notice written down for it (if any); returns at once.</summary>
    public void Send(AlertFiring firing, IEnumerable<(AlertWebhook Webhook, long? Delivery)> owed)
    {
        foreach (var (webhook, delivery) in owed)
        {
            _workers.GetOrAdd(webhook.Id, _ => new Worker(this)).Enqueue(webhook, firing, delivery);
        }
    }

    private async Task SettleAsync(long? delivery, bool delivered, string? error)
    {
        if (delivery is not { } id || Settled is not { } settled)
        {
            return;
        }

        try
        {
            await settled(id, delivered, error);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            _logger.LogWarning("Could not record the outcome of notice {Delivery}: {Error}", id, e.Message);
        }
    }

    public WebhookStatus StatusOf(int webhookId) =>
        _workers.TryGetValue(webhookId, out var worker) ? worker.Status(webhookId) : new WebhookStatus(webhookId, 0, 0, 0, 0, null, null, null);

    /// <summary>Discord refuses a message longer than this.</summary>
    public const int DiscordLimit = 2000;

    /// <summary>What the receiver gets, in its format.</summary>
    public static HttpContent Content(AlertWebhook webhook, AlertFiring firing) => webhook.Format switch
    {
        WebhookFormat.Slack => JsonContent.Create(new { text = $"{(firing.ResolvedAt is null ? ":rotating_light:" : ":white_check_mark:")} *{firing.RuleName}*: {firing.Message} ({When(firing)})" }),
        WebhookFormat.Discord => JsonContent.Create(new { content = Shortened($"{(firing.ResolvedAt is null ? "\U0001F6A8" : "\u2705")} **{firing.RuleName}**: {firing.Message} ({When(firing)})", DiscordLimit) }),
        WebhookFormat.Ntfy => NtfyContent(firing),
        _ => JsonContent.Create(new
        {
            source = "dockerdash",
            rule = firing.RuleName,
            kind = firing.Kind.ToString(),
            engine = firing.Engine,
            container = new { id = firing.ContainerId, name = firing.ContainerName, project = firing.Project },
            message = firing.Message,
            firedAt = firing.FiredAt,
            resolvedAt = firing.ResolvedAt,
        }),
    };

    private static string When(AlertFiring firing) => $"{firing.ResolvedAt ?? firing.FiredAt:yyyy-MM-dd HH:mm:ss} UTC";

    private static string Shortened(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "\u2026";

    // ntfy: the message is the body, the rest are headers; a header that is not ASCII goes RFC 2047-encoded, which ntfy reads.
    private static StringContent NtfyContent(AlertFiring firing)
    {
        var content = new StringContent($"{firing.Message} ({When(firing)})", System.Text.Encoding.UTF8, "text/plain");
        var title = $"DockerDash: {firing.RuleName}";
        content.Headers.Add("Title", System.Text.Ascii.IsValid(title) ? title : $"=?UTF-8?B?{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(title))}?=");
        content.Headers.Add("Tags", firing.ResolvedAt is null ? "rotating_light,docker" : "white_check_mark,docker");
        content.Headers.Add("Priority", firing.ResolvedAt is null ? "high" : "default");
        return content;
    }

    /// <summary>Sends a test message to <paramref name="webhook"/> now (not queued); null when delivered, else why not.</summary>
    public Task<string?> TestAsync(AlertWebhook webhook) => PostAsync(webhook, new AlertFiring
    {
        RuleName = "Test message",
        Kind = AlertKind.Died,
        Engine = "-",
        ContainerId = "",
        ContainerName = "",
        Message = $"A test message from DockerDash to the webhook '{webhook.Name}': if you read this, it works.",
        FiredAt = _time.GetUtcNow(),
    });

    private async Task<string?> PostAsync(AlertWebhook webhook, AlertFiring firing)
    {
        if (webhook.Format == WebhookFormat.Email)
        {
            return await mailer.SendAsync(webhook, firing, _stopping.Token);
        }

        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var content = Content(webhook, firing);
            using var response = await http.PostAsync(webhook.Url, content, _stopping.Token);
            return response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return $"could not reach the receiver: {e.Message}";
        }
        catch (TaskCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return "the receiver did not answer in time";
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException)
        {
            return $"the address is not usable: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private sealed class Worker
    {
        private readonly WebhookDispatcher _owner;
        private readonly Channel<(AlertWebhook Webhook, AlertFiring Firing, long? Delivery)> _queue;
        private readonly Lock _lock = new();
        private long _delivered;
        private long _failed;
        private long _dropped;
        private DateTimeOffset? _lastDelivered;
        private DateTimeOffset? _lastFailed;
        private string? _lastError;

        public Worker(WebhookDispatcher owner)
        {
            _owner = owner;
            _queue = Channel.CreateBounded<(AlertWebhook, AlertFiring, long?)>(
                new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
                _ => Interlocked.Increment(ref _dropped));
            _ = Task.Run(RunAsync);
        }

        public void Enqueue(AlertWebhook webhook, AlertFiring firing, long? delivery) => _queue.Writer.TryWrite((webhook, firing, delivery));

        public WebhookStatus Status(int id)
        {
            lock (_lock)
            {
                return new WebhookStatus(id, _delivered, _failed, Interlocked.Read(ref _dropped), _queue.Reader.Count, _lastDelivered, _lastFailed, _lastError);
            }
        }

        private async Task RunAsync()
        {
            try
            {
                await foreach (var (webhook, firing, delivery) in _queue.Reader.ReadAllAsync(_owner._stopping.Token))
                {
                    var error = await DeliverAsync(webhook, firing);
                    await _owner.SettleAsync(delivery, error is null, error);
                }
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
        }

        /// <summary>Posts with retries; null when delivered, else the last error (given up on).</summary>
        private async Task<string?> DeliverAsync(AlertWebhook webhook, AlertFiring firing)
        {
            for (var attempt = 0; ; attempt++)
            {
                var error = await _owner.PostAsync(webhook, firing);
                _owner._metrics.WebhookDelivered(error is null);
                lock (_lock)
                {
                    if (error is null)
                    {
                        _delivered++;
                        _lastDelivered = _owner._time.GetUtcNow();
                        return null;
                    }

                    _lastFailed = _owner._time.GetUtcNow();
                    _lastError = error;
                }

                if (attempt == Backoff.Length)
                {
                    lock (_lock)
                    {
                        _failed++;
                    }

                    _owner._logger.LogWarning("Webhook {Webhook} gave up on alert {Alert} after {Attempts} attempts: {Error}", webhook.Name, firing.RuleName, attempt + 1, error);
                    return error;
                }

                await Task.Delay(Backoff[attempt], _owner._time, _owner._stopping.Token);
            }
        }
    }
}
