namespace DockerDash.Replicas;

/// <summary>This process among the replicas: its id (host name and process id), and the Redis they share, if any.</summary>
public sealed class ReplicaIdentity(IConfiguration configuration)
{
    public const string RedisKey = "DockerDash:Redis:Configuration";

    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A StackExchange.Redis configuration string (<c>redis:6379,password=...</c>), or null for one replica alone.</summary>
    public string? Redis { get; } = configuration[RedisKey] is { Length: > 0 } redis ? redis : null;
}
