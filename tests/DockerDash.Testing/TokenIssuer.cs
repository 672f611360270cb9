using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace DockerDash.Testing;

/// <summary>
/// The token service of the rig's token-auth registry, as distribution 2.8 checks tokens: RS256 JWTs with
/// the signing certificate in <c>x5c</c> (the registry's root bundle), <c>iss</c> the issuer, <c>aud</c> the
/// service as a plain string, and <c>access</c> entries for what was asked and is allowed. Users and what
/// each may do are set by the tests; it counts the tokens it hands out.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Service = "dockerdash-test-registry";
    public const string Issuer = "dockerdash-test-issuer";

    private static readonly Lazy<TokenIssuer> SharedIssuer = new(() => new TokenIssuer(TestRig.TokenIssuerPort, TestRig.TokenKey, TestRig.TokenCertificate));

    private static readonly string[] AllActions = ["pull", "push", "delete"];
    private readonly FakeHttpServer _server;
    private readonly RSA _key = RSA.Create();
    private readonly string _certificate;
    private int _issued;

    private TokenIssuer(int port, string keyPath, string certificatePath)
    {
        _key.ImportFromPem(File.ReadAllText(keyPath));
        _certificate = Convert.ToBase64String(X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath)).RawData);
        _server = new FakeHttpServer(Answer, port);
    }

    /// <summary>The one issuer on the rig's port (started on first use, for the whole test run).</summary>
    public static TokenIssuer Shared => SharedIssuer.Value;

    /// <summary>user → password. Anonymous requests get tokens with no access.</summary>
    public Dictionary<string, string> Users { get; } = new() { [TestRig.RegistryUser] = TestRig.RegistryPassword };

    /// <summary>Which actions a user gets on a repository ("*" everything); by default the known user may do anything.</summary>
    public Func<string?, string, string[], string[]> Grant { get; set; } = (user, _, actions) => user is null ? [] : actions;

    /// <summary>Seconds a token lives (negative: already expired when issued).</summary>
    public int Lifetime { get; set; } = 300;

    public int Issued => Volatile.Read(ref _issued);

    private (int Status, string Body) Answer(HttpListenerRequest request)
    {
        string? user = null;
        if (request.Headers["Authorization"] is { } header && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            if (!Users.TryGetValue(pair[0], out var password) || password != pair[1])
            {
                return (401, """{"details":"wrong username or password"}""");
            }

            user = pair[0];
        }

        var access = (request.QueryString.GetValues("scope") ?? [])
            .SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(scope => scope.Split(':'))
            .Where(parts => parts.Length >= 3)
            .Select(parts => new
            {
                type = parts[0],
                name = string.Join(':', parts[1..^1]),
                actions = Grant(user, string.Join(':', parts[1..^1]), parts[^1].Split(',')),
            })
            .Where(a => a.actions.Length > 0)
            .ToList();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Sign(new
        {
            iss = Issuer,
            sub = user ?? "",
            aud = Service,
            exp = now + Lifetime,
            nbf = now - 10,
            iat = now,
            jti = Guid.NewGuid().ToString("N"),
            access,
        });
        Interlocked.Increment(ref _issued);
        return (200, JsonSerializer.Serialize(new { token, expires_in = Math.Max(Lifetime, 1), issued_at = DateTimeOffset.UtcNow }));
    }

    /// <summary>A token for arranging content directly (full access to <paramref name="repository"/>).</summary>
    public string TokenFor(string repository)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Sign(new
        {
            iss = Issuer,
            sub = TestRig.RegistryUser,
            aud = Service,
            exp = now + 600,
            nbf = now - 10,
            iat = now,
            jti = Guid.NewGuid().ToString("N"),
            access = new[] { new { type = "repository", name = repository, actions = AllActions } },
        });
    }

    private string Sign(object claims)
    {
        static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", x5c = new[] { _certificate } }));
        var payload = Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Url(signature)}";
    }

    public void Dispose()
    {
        _server.Dispose();
        _key.Dispose();
    }
}
