using System.Security.Cryptography;
using System.Text;
using DockerDash.Engines;
using DockerDash.Engines.Ssh;

namespace DockerDash.Tests.Engines;

/// <summary><c>ssh://</c> engines as configured (issue 20), and known_hosts read as OpenSSH reads it.</summary>
public sealed class SshEndpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dockerdash-ssh-unit-").FullName;

    private string File(string name)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, "");
        return path;
    }

    private EngineEndpointOptions Options(string endpoint) =>
        new() { Name = "far", Endpoint = endpoint, SshKeyPath = File("id"), SshKnownHostsPath = File("known_hosts") };

    [Fact]
    public void An_ssh_address_names_user_host_and_port_and_the_socket_defaults_to_dockers()
    {
        var options = Options("ssh://deploy@build.example:2200");
        options.SshKeyPassphrase = "secret";
        var engine = EngineEndpoint.Parse(options);

        var ssh = Assert.IsType<EngineSsh>(engine.Ssh);
        Assert.Equal(("deploy", "build.example", 2200, "/var/run/docker.sock", "[build.example]:2200"), (ssh.User, ssh.Host, ssh.Port, ssh.RemoteSocket, ssh.KnownHostsName));
        Assert.DoesNotContain("secret", engine.ToString(), StringComparison.Ordinal);
        Assert.Equal(("build.example", 22), (EngineEndpoint.Parse(Options("ssh://deploy@build.example")).Ssh!.KnownHostsName, EngineEndpoint.Parse(Options("ssh://deploy@build.example")).Ssh!.Port));
    }

    [Theory]
    [InlineData("ssh://build.example", null, "names the user")]
    [InlineData("ssh://deploy:pw@build.example", null, "no password")]
    [InlineData("ssh://deploy@build.example/var/run/docker.sock", null, "SshRemoteSocket")]
    [InlineData("ssh://deploy@build.example", "no-known-hosts", "needs SshKnownHostsPath")]
    [InlineData("ssh://deploy@build.example", "no-key", "needs SshKeyPath")]
    [InlineData("ssh://deploy@build.example", "missing-key", "does not exist")]
    [InlineData("ssh://deploy@build.example", "relative-socket", "not an absolute path")]
    public void A_bad_ssh_engine_stops_the_app_with_a_clear_message(string endpoint, string? change, string message)
    {
        var options = Options(endpoint);
        switch (change)
        {
            case "no-known-hosts": options.SshKnownHostsPath = null; break;
            case "no-key": options.SshKeyPath = ""; break;
            case "missing-key": options.SshKeyPath = "/nonexistent/id_ed25519"; break;
            case "relative-socket": options.SshRemoteSocket = "docker.sock"; break;
        }

        Assert.Contains(message, Assert.Throws<InvalidOperationException>(() => EngineEndpoint.Parse(options)).Message, StringComparison.Ordinal);
    }

    private static readonly byte[] HostKey = [0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] OtherKey = [0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. Enumerable.Range(101, 32).Select(i => (byte)i)];

    private static string Line(string hosts, byte[] key, string marker = "") => $"{marker}{hosts} ssh-ed25519 {Convert.ToBase64String(key)} comment";

    [Theory]
    [InlineData("build.example", "build.example")]
    [InlineData("other.example,build.example", "build.example")]
    [InlineData("*.example", "build.example")]
    [InlineData("buil?.example", "build.example")]
    [InlineData("[build.example]:2200", "[build.example]:2200")]
    [InlineData("[*.example]:2200", "[build.example]:2200")]
    [InlineData("BUILD.example", "build.example")]
    public void A_host_named_by_a_pattern_is_trusted_with_its_key(string patterns, string host)
    {
        var known = KnownHosts.Parse("known_hosts", ["# a comment", "", Line(patterns, HostKey)]);

        Assert.True(known.Judge(host, "ssh-ed25519", HostKey).Trust);
    }

    [Theory]
    [InlineData("build.example", "[build.example]:2200")]
    [InlineData("*.example,!build.example", "build.example")]
    [InlineData("b?.example", "build.example")]
    public void A_pattern_that_does_not_name_the_host_leaves_it_unknown(string patterns, string host)
    {
        var known = KnownHosts.Parse("known_hosts", [Line(patterns, HostKey)]);

        var verdict = known.Judge(host, "ssh-ed25519", HostKey);

        Assert.False(verdict.Trust);
        Assert.Contains($"({"ssh-ed25519"} {KnownHosts.Fingerprint(HostKey)}) is not in known_hosts", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hashed_name_is_matched_by_its_salted_hash()
    {
        var salt = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
#pragma warning disable CA5350 // OpenSSH's HashKnownHosts format
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[build.example]:2200"));
#pragma warning restore CA5350
        var known = KnownHosts.Parse("known_hosts", [Line($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)}", HostKey)]);

        Assert.True(known.Judge("[build.example]:2200", "ssh-ed25519", HostKey).Trust);
        Assert.False(known.Judge("build.example", "ssh-ed25519", HostKey).Trust);
    }

    [Fact]
    public void A_changed_key_is_refused_naming_the_new_fingerprint_and_the_known_line()
    {
        var known = KnownHosts.Parse("/home/me/.ssh/known_hosts", ["# first", Line("build.example", HostKey)]);

        var verdict = known.Judge("build.example", "ssh-ed25519", OtherKey);

        Assert.False(verdict.Trust);
        Assert.Contains($"has CHANGED: it presents ssh-ed25519 {KnownHosts.Fingerprint(OtherKey)}, but /home/me/.ssh/known_hosts (line 2) names another key", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revoked_key_is_refused_even_when_another_line_trusts_it()
    {
        var known = KnownHosts.Parse("known_hosts", [Line("build.example", HostKey), Line("*", HostKey, "@revoked ")]);

        Assert.Contains("marked @revoked", known.Judge("build.example", "ssh-ed25519", HostKey).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fingerprint_is_OpenSSHs_unpadded_sha256() =>
        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(HostKey)).TrimEnd('='), KnownHosts.Fingerprint(HostKey));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
