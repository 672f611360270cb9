using System.Collections.Concurrent;
using Docker.DotNet.Models;
using DockerDash.Data;
using DockerDash.Images;
using DockerDash.Operations;
using DockerDash.Registries;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Updates;

/// <summary>What a tag points at in its registry now, or why that could not be learnt.</summary>
public sealed record RemoteDigest(string? Digest, string? Problem);

/// <summary>
/// Asks a tag's registry what the tag points at (a HEAD with the full Accept set, no manifest transferred), with the
/// saved credentials of the registry DockerDash has for that host (one with a secret first), else anonymously. A
/// registry that answered 429 is not asked again before the time it gave (a minute when it gave none).
/// </summary>
public sealed class RegistryLookup(IDbContextFactory<DashboardDbContext> databases, RegistryClients clients, TimeProvider time)
{
    private static readonly TimeSpan DefaultBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _limitedUntil = new(StringComparer.OrdinalIgnoreCase);

    public async Task<RemoteDigest> DigestAsync(RegistryImageName name, CancellationToken cancellationToken)
    {
        if (_limitedUntil.TryGetValue(name.Registry, out var until) && until > time.GetUtcNow())
        {
            return new RemoteDigest(null, $"{name.Registry} limits requests: not asked again before {until:HH:mm:ss} UTC");
        }

        var saved = await SavedAsync(name.Registry, cancellationToken);
        var client = saved is null ? clients.Anonymous(name.DefaultAddress) : clients.For(saved);
        var via = saved is null ? $"{name.Registry} (anonymously)" : $"{name.Registry} (as registry {saved.Name}{(saved.Username is null ? "" : $", user {saved.Username}")})";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return new RemoteDigest(await client.DigestAsync(name.Repository, name.Tag, timeout.Token), null);
        }
        catch (RegistryRateLimitedException e)
        {
            _limitedUntil[name.Registry] = time.GetUtcNow() + (e.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultBackoff);
            return new RemoteDigest(null, $"{via}: {e.Message}");
        }
        catch (OperationFailedException e)
        {
            return new RemoteDigest(null, $"{via}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new RemoteDigest(null, $"cannot reach {via}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RemoteDigest(null, $"{via} did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>What a pull of <paramref name="name"/> sends as <c>X-Registry-Auth</c>: the saved credentials of its registry, else nothing.</summary>
    public async Task<AuthConfig> PullAuthAsync(RegistryImageName name, CancellationToken cancellationToken) =>
        await SavedAsync(name.Registry, cancellationToken) is { Username: not null } saved
            ? new AuthConfig { ServerAddress = name.Registry, Username = saved.Username, Password = clients.Secret(saved) }
            : new AuthConfig();

    private async Task<RegistryEntry?> SavedAsync(string registry, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var entries = await db.Registries.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return entries.Where(e => string.Equals(e.Host, registry, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.ProtectedSecret is not null)
            .FirstOrDefault();
    }
}
