using DockerDash.Engines;
using DockerDash.Events;

namespace DockerDash.Tests.Engines;

public class EngineEndpointTests
{
    [Fact]
    public void With_no_engine_configured_local_comes_from_DOCKER_HOST()
    {
        var engines = EngineEndpoint.Resolve(new DockerDashOptions(), "tcp://10.0.0.5:2376");

        Assert.Equal(("local", "tcp://10.0.0.5:2376/"), (engines[0].Name, engines[0].Endpoint.ToString()));
    }

    [Fact]
    public void With_no_engine_and_no_DOCKER_HOST_local_is_the_default_socket() =>
        Assert.Equal("unix:///var/run/docker.sock", EngineEndpoint.Resolve(new DockerDashOptions(), null)[0].Endpoint.ToString());

    [Fact]
    public void Configured_engines_replace_the_default()
    {
        var options = new DockerDashOptions
        {
            Engines = [new() { Name = "a", Endpoint = "unix:///run/a.sock" }, new() { Name = "b", Endpoint = "tcp://host:2375" }],
        };

        Assert.Equal(["a", "b"], EngineEndpoint.Resolve(options, "tcp://ignored:1").Select(e => e.Name));
    }

    [Theory]
    [InlineData("a", "ftp://x", "is not a unix://")]
    [InlineData("", "unix:///x", "needs a Name")]
    public void Bad_configuration_stops_the_app_with_a_clear_message(string name, string endpoint, string message)
    {
        var options = new DockerDashOptions { Engines = [new() { Name = name, Endpoint = endpoint }] };

        var error = Assert.Throws<InvalidOperationException>(() => EngineEndpoint.Resolve(options, null));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_engine_names_are_refused()
    {
        var options = new DockerDashOptions { Engines = [new() { Name = "a", Endpoint = "unix:///1" }, new() { Name = "A", Endpoint = "unix:///2" }] };

        Assert.Contains("more than once", Assert.Throws<InvalidOperationException>(() => EngineEndpoint.Resolve(options, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_TLS_folder_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => EngineEndpoint.Parse(new() { Name = "a", Endpoint = "tcp://h:2376", TlsCertPath = "/nonexistent/certs" }));

    [Fact]
    public void Reconnect_backoff_grows_and_is_capped()
    {
        var delays = Enumerable.Range(1, 12).Select(EngineWatcher.Backoff).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(500), delays[0]);
        Assert.True(delays.Zip(delays.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(EngineWatcher.MaximumBackoff, delays[^1]);
    }
}
