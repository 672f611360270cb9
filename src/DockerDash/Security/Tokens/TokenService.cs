using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DockerDash.Operations;
using DockerDash.Data;
using Microsoft.EntityFrameworkCore;
using DockerDash.Callers;

namespace DockerDash.Security.Tokens;

/// <summary>What an admin asks for: a token's name, kind, role, engines and lifetime.</summary>
public sealed record TokenRequest(string Name, TokenKind Kind, DashboardRole Role, IReadOnlyList<string> Scopes, TimeSpan Lifetime);

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenSummary(string Id, string Name, TokenKind Kind, DashboardRole Role, IReadOnlyList<string> Scopes, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>
/// API and kiosk tokens: <c>ddt_ID_SECRET</c>. Only a SHA-256 of the secret is stored; the whole
/// token is returned once, at creation. Revoking raises <see cref="TokenRevocations"/> so that live
/// connections close.
/// </summary>
public sealed class TokenService(IDbContextFactory<DashboardDbContext> databases, OperationGate gate, CallerContext caller, TokenRevocations revocations, TimeProvider time)
{
    private const string Prefix = "ddt_";

    public Task<string> CreateAsync(TokenRequest request, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.TokenManage, request.Name, async ct =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || request.Role == DashboardRole.None || request.Scopes.Count == 0 || request.Lifetime <= TimeSpan.Zero)
            {
                throw new OperationFailedException("A token needs a name, a role, at least one engine (or *) and a lifetime.", OperationFailure.Invalid);
            }

            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            var secret = Secrets.New();
            var now = time.GetUtcNow();
            await using var db = await databases.CreateDbContextAsync(ct);
            db.Tokens.Add(new AccessToken
            {
                Id = id,
                Name = request.Name.Trim(),
                Kind = request.Kind,
                SecretHash = Secrets.Hash(secret),
                Role = request.Role,
                Scopes = string.Join(',', request.Scopes),
                CreatedBy = caller.Current.DisplayName,
                CreatedAt = now,
                ExpiresAt = now + request.Lifetime,
            });
            await db.SaveChangesAsync(ct);
            return $"{Prefix}{id}_{secret}";
        }, cancellationToken);

    public Task<IReadOnlyList<TokenSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.TokenList, null, async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            var all = await db.Tokens.AsNoTracking().ToListAsync(ct);
            return (IReadOnlyList<TokenSummary>)all.OrderByDescending(t => t.CreatedAt)
                .Select(t => new TokenSummary(t.Id, t.Name, t.Kind, t.Role, t.ScopeList, t.CreatedBy, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt)).ToList();
        }, cancellationToken);

    public Task RevokeAsync(string id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.TokenManage, id, async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == id, ct)
                ?? throw new OperationFailedException("That token does not exist.", OperationFailure.NotFound);
            token.RevokedAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            revocations.Revoked(id);
            return true;
        }, cancellationToken);

    /// <summary>The principal a presented token stands for, or null when it is unknown, wrong, revoked or expired.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string presented, TokenKind kind, string scheme, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Split('_') is not [_, var id, .. var rest] || rest.Length == 0)
        {
            return null;
        }

        var secret = string.Join('_', rest);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null || token.Kind != kind || !token.IsActive(now)
            || !Secrets.Matches(token.SecretHash, secret))
        {
            return null;
        }

        token.LastUsedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, $"{kind.ToString().ToLowerInvariant()} token '{token.Name}'"));
        identity.AddClaim(new Claim(DashboardClaims.TokenId, token.Id));
        identity.AddClaim(new Claim(DashboardClaims.Kind, kind.ToString().ToLowerInvariant()));
        identity.AddClaim(new Claim(DashboardClaims.SessionStart, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaims(token.ScopeList.Select(scope => DashboardClaims.GrantClaim(scope, token.Role)));
        return new ClaimsPrincipal(identity);
    }

    public async Task<bool> IsActiveAsync(string id)
    {
        await using var db = await databases.CreateDbContextAsync();
        return await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id) is { } token && token.IsActive(time.GetUtcNow());
    }


}

/// <summary>Announces revoked tokens to whatever holds live connections made with them, on every replica.</summary>
public sealed class TokenRevocations
{
    private readonly Replicas.ReplicaSignals _signals;

    public TokenRevocations(Replicas.ReplicaSignals signals)
    {
        _signals = signals;
        signals.Received += signal =>
        {
            if (signal.Kind == Replicas.SignalKind.TokenRevoked)
            {
                TokenRevoked?.Invoke(signal.Subject);
            }
        };
    }

    public event Action<string>? TokenRevoked;

    public void Revoked(string tokenId) => _signals.Send(new Replicas.ReplicaSignal(Replicas.SignalKind.TokenRevoked, tokenId));
}
