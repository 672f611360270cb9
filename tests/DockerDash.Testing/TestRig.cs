namespace DockerDash.Testing;

/// <summary>
/// What <c>tests/run</c> started for this run: a private engine, the offline test image, a registry.
/// A test that needs them fails (never skips) when they are missing.
/// </summary>
public static class TestRig
{
    /// <summary>Every container and image a test creates carries this label with <see cref="RunId"/>.</summary>
    public const string RunLabel = "dockerdash.test.run";

    public static string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    public static string EngineEndpoint => Required("DOCKERDASH_TEST_ENGINE");

    /// <summary>The same engine over TCP with TLS (<c>--tlsverify</c>, a certificate for 127.0.0.1 only).</summary>
    public static string EngineTlsEndpoint => Required("DOCKERDASH_TEST_ENGINE_TLS");

    /// <summary>A <c>TlsCertPath</c> folder for <see cref="EngineTlsEndpoint"/>: ca.pem, and a client certificate signed by that CA.</summary>
    public static string EngineTlsCertificates => Required("DOCKERDASH_TEST_ENGINE_TLS_CERTS");

    /// <summary>The same engine through the rig's sshd on 127.0.0.1: <c>ssh://user@127.0.0.1:port</c>.</summary>
    public static string EngineSshEndpoint => Required("DOCKERDASH_TEST_ENGINE_SSH");

    /// <summary>
    /// The rig's sshd folder: <c>client-key</c> (let in), <c>refused-key</c> (a key it does not know), <c>known_hosts</c>
    /// naming its host key, <c>host-key.pub</c>, and <c>sshd.pid</c>.
    /// </summary>
    public static string EngineSshDirectory => Required("DOCKERDASH_TEST_ENGINE_SSH_DIR");

    /// <summary>Podman's Docker-compatible API on a unix socket (its own storage, the same test image and registry).</summary>
    public static string EnginePodmanEndpoint => Required("DOCKERDASH_TEST_ENGINE_PODMAN");

    /// <summary>The engine's folder: socket, pid file and log; <c>tests/rig/engine.sh</c> starts and stops it.</summary>
    public static string EngineDirectory => Required("DOCKERDASH_TEST_ENGINE_DIR");

    public static string Image => Required("DOCKERDASH_TEST_IMAGE");

    public static string Registry => Required("DOCKERDASH_TEST_REGISTRY");

    /// <summary>A registry with htpasswd (bcrypt) basic auth: user <see cref="RegistryUser"/>, password <see cref="RegistryPassword"/>.</summary>
    public static string RegistryBasic => Required("DOCKERDASH_TEST_REGISTRY_BASIC");

    /// <summary>A registry with deletion disabled.</summary>
    public static string RegistryNoDelete => Required("DOCKERDASH_TEST_REGISTRY_NODELETE");

    /// <summary>A registry that wants bearer tokens from <see cref="TokenIssuer"/> (on <see cref="TokenIssuerPort"/>).</summary>
    public static string RegistryToken => Required("DOCKERDASH_TEST_REGISTRY_TOKEN");

    public static int TokenIssuerPort => int.Parse(Required("DOCKERDASH_TEST_TOKEN_ISSUER_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string TokenKey => Required("DOCKERDASH_TEST_TOKEN_KEY");

    public static string TokenCertificate => Required("DOCKERDASH_TEST_TOKEN_CERT");

    public const string RegistryUser = "tester";

    public const string RegistryPassword = "tester-password";

    public static string Chromium => Required("DOCKERDASH_TEST_CHROMIUM");

    /// <summary>The rig's PostgreSQL as its owner: an Npgsql connection string without a database (<see cref="TestDatabases"/> makes them).</summary>
    public static string Postgres => Required("DOCKERDASH_TEST_POSTGRES");

    /// <summary>The rig's Redis: a StackExchange.Redis configuration string (<c>127.0.0.1:port,password=...</c>).</summary>
    public static string Redis => Required("DOCKERDASH_TEST_REDIS");

    /// <summary>Debian's nginx, which <see cref="NginxProxy"/> runs in front of replicas.</summary>
    public static string Nginx => Required("DOCKERDASH_TEST_NGINX");

    public static string RigScripts => Required("DOCKERDASH_TEST_RIG");

    /// <summary>The lean publish tests/run makes while the other tests run (the Dockerfile's build): its <c>DockerDash.dll</c>.</summary>
    public static string LeanPublish => Required("DOCKERDASH_TEST_LEAN_PUBLISH");

    public static string Artifacts => Environment.GetEnvironmentVariable("DOCKERDASH_TEST_ARTIFACTS") is { Length: > 0 } path
        ? path
        : Path.Combine(Path.GetTempPath(), "dockerdash-test-artifacts");

    /// <summary>A name no other test of any run uses: <c>dd-PREFIX-RUNID-N</c>.</summary>
    public static string UniqueName(string prefix) => $"dd-{prefix}-{RunId}-{Interlocked.Increment(ref _counter)}";

    private static int _counter;

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: these tests need the real Docker engine, registry and browser that ./tests/run starts. Run the suite with ./tests/run.");
}
