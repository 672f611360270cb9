using DockerDash.Data;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace DockerDash.Replicas;

/// <summary>
/// What lets several replicas behave as one: the lease for one-of-a-kind work (<see cref="ReplicaLease"/>), signals
/// between them (<see cref="ReplicaSignals"/>) and, with Redis, SignalR's Redis backplane, so that whatever the hub
/// sends to all, a group or a user reaches connections on every replica.
/// </summary>
public static class ReplicaHosting
{
    public static IServiceCollection AddReplicas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DatabaseOptions.From(configuration));
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaSignals>());
        services.AddSingleton<ReplicaLocks>();
        services.AddHostedService<Jobs.JobMirror>();
        services.AddHostedService<Jobs.JobOutcomes>();
        services.AddSingleton<ReplicaLease>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaLease>());
        return services;
    }

    /// <summary>The Redis backplane when <c>DockerDash:Redis:Configuration</c> is set.</summary>
    public static ISignalRServerBuilder AddReplicaBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        if (configuration[ReplicaIdentity.RedisKey] is not { Length: > 0 } redis)
        {
            return signalR;
        }

        return signalR.AddStackExchangeRedis(redis, o =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal("dockerdash");
            o.Configuration.AbortOnConnectFail = false;
        });
    }
}
