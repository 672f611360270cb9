using StackExchange.Redis;

namespace DockerDash.Replicas;

/// <summary>What one replica tells the others: the subject is a token id, a user id, or empty.</summary>
public enum SignalKind
{
    /// <summary>A token was revoked: its connections and kiosk pages end.</summary>
    TokenRevoked,

    /// <summary>A user was locked, deleted or given other roles: their sessions are checked again now.</summary>
    UserChanged,

    /// <summary>Alert rules or webhooks changed: every replica reads them again.</summary>
    AlertsChanged,

    /// <summary>An alert fired (the subject is the firing's id): every replica's pages show it.</summary>
    AlertFired,

    /// <summary>A job started, progressed or ended on the sending replica (the subject is its snapshot, JSON).</summary>
    JobChanged,

    /// <summary>Someone asked to cancel a job of the replica it runs on (the subject is its id).</summary>
    JobCancel,

    /// <summary>An update check's findings on one engine (the subject is JSON): every replica shows them.</summary>
    UpdatesChecked,
}

/// <param name="From">The replica that sent it, when another one did (a replica acts on its own signals as it sends them).</param>
public sealed record ReplicaSignal(SignalKind Kind, string Subject, string? From = null)
{
    public bool Remote => From is not null;

    /// <summary>For a log line: the kind and the start of the subject (a job's snapshot is long).</summary>
    public string Describe => Subject.Length <= 64 ? $"{Kind} {Subject}" : $"{Kind} {Subject[..64]}…";
}

/// <summary>
/// Signals between replicas over Redis pub/sub (<c>DockerDash:Redis:Configuration</c>), so that a revoked token, a
/// locked or changed user, changed alert rules and new firings take effect on every replica at once. A signal is
/// acted on here at once and published for the others (a replica ignores its own); without Redis, or while Redis
/// is unreachable, it is acted on here only (one replica needs nothing else; a replica that missed a signal still
/// re-checks sessions every <c>RevalidationInterval</c>).
/// </summary>
public sealed class ReplicaSignals(ReplicaIdentity replica, ILogger<ReplicaSignals> logger) : IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("dockerdash:signals");

    private ConnectionMultiplexer? _redis;

    public event Action<ReplicaSignal>? Received;

    /// <summary>Whether there are other replicas to tell (Redis is configured): what only they need is not made otherwise.</summary>
    public bool Shared => replica.Redis is not null;

    public void Send(ReplicaSignal signal)
    {
        Raise(signal);
        if (_redis is { IsConnected: true } redis)
        {
            _ = PublishAsync(redis, signal);
        }
        else if (_redis is not null)
        {
            logger.LogWarning("Redis is unreachable: {Signal} reaches this replica only; the others notice at their next check.", signal.Describe);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (replica.Redis is not { } configuration)
        {
            return;
        }

        // Redis down at start-up does not keep the replica down: the client connects (and subscribes) when it can.
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        await _redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnMessage(message));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task PublishAsync(ConnectionMultiplexer redis, ReplicaSignal signal)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, $"{replica.Id}|{signal.Kind}|{signal.Subject}");
        }
        catch (RedisException e)
        {
            logger.LogWarning("Could not tell the other replicas of {Signal}: {Error}", signal.Describe, e.Message);
        }
    }

    private void OnMessage(RedisValue message)
    {
        var parts = message.ToString().Split('|', 3);
        if (parts.Length == 3 && parts[0] != replica.Id && Enum.TryParse<SignalKind>(parts[1], out var kind))
        {
            Raise(new ReplicaSignal(kind, parts[2], From: parts[0]));
        }
    }

    private void Raise(ReplicaSignal signal)
    {
        try
        {
            Received?.Invoke(signal);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Acting on {Signal} failed", signal.Describe);
        }
    }
}
