using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DockerDash.Security;
using DockerDash.Security.Audit;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// <c>/metrics</c> (issue 17): Prometheus text behind an API token, and a real Prometheus (Debian's, on loopback, started
/// here) scraping it with a token, that reports the target up and a running container's memory.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class MetricsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Http(string? token)
    {
        var http = new HttpClient { BaseAddress = fixture.App.Address };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    [Fact]
    public async Task Metrics_need_a_token_with_viewer_on_every_engine_and_say_what_the_app_and_engines_are_doing()
    {
        var id = await fixture.Engine.RunSleeperAsync("metrics-list");
        var name = (await fixture.Store.WaitForAsync(c => c.Id == id && c.IsRunning, Patience, "the sleeper running")).Name;
        using var anonymous = Http(null);
        using var oneEngine = Http(await fixture.App.CreateTokenAsync(DashboardRole.Admin, scope: "rig"));
        using var viewer = Http(await fixture.TokenAsync(DashboardRole.Viewer));
        // The tokens' audit records are stored by the audit's writer in the background: its counter starts with them.
        await fixture.App.Get<PersistedAudit>().FlushAsync();

        using var refused = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var forbidden = await oneEngine.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await viewer.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("dockerdash_engine_up{", StringComparison.Ordinal) && l.Contains("engine=\"rig\",product=\"Docker\",transport=\"unix\"} 1", StringComparison.Ordinal));
        // The exporter writes labels in name order: container, engine, image, project, service.
        Assert.Contains(lines, l => l.StartsWith("dockerdash_container_running{", StringComparison.Ordinal)
            && l.Contains($"container=\"{name}\",engine=\"rig\",image=\"{TestRig.Image}\",project=\"\",service=\"\"}} 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dockerdash_streams{", StringComparison.Ordinal) && l.Contains("kind=\"events\"}", StringComparison.Ordinal));
        Assert.Contains("# TYPE dockerdash_audit_writes_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_anonymous_scraping_allowed_no_token_is_needed()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Metrics:AllowAnonymous=true", "--DockerDash:Metrics:Containers=0");
        using var http = new HttpClient { BaseAddress = app.Address };

        Assert.Contains("dockerdash_engine_up", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_with_a_token_and_has_the_target_up_and_a_containers_memory()
    {
        var name = (await fixture.Engine.InspectAsync(await fixture.Engine.RunSleeperAsync("metrics"))).Name.TrimStart('/');
        var folder = Directory.CreateTempSubdirectory("dockerdash-prometheus-").FullName;
        var port = FakeHttpServer.FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "token"), await fixture.TokenAsync(DashboardRole.Viewer));
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: dockerdash
                metrics_path: /metrics
                authorization:
                  credentials_file: {Path.Combine(folder, "token")}
                static_configs:
                  - targets: ["{fixture.App.Address.Authority}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo("prometheus",
            [$"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var up = await Eventually.GetAsync(() => QueryAsync(api, "up{job=\"dockerdash\"}"), r => r.Count == 1 && r[0] == "1", Patience, "Prometheus to scrape DockerDash");
            var memory = await Eventually.GetAsync(() => QueryAsync(api, $"dockerdash_container_memory_bytes{{container=\"{name}\",engine=\"rig\"}}"),
                r => r.Count == 1, Patience, "the container's memory in Prometheus");

            var received = await QueryAsync(api, $"dockerdash_container_network_receive_bytes_total{{container=\"{name}\"}}");

            Assert.Equal("1", up[0]);
            Assert.Single(received);
            Assert.True(double.Parse(memory[0], System.Globalization.CultureInfo.InvariantCulture) > 0, $"memory {memory[0]}");
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_shipped_prometheus_configuration_is_valid()
    {
        var shipped = Path.Combine(TestRig.RigScripts, "..", "..", "deploy", "prometheus.yml");
        var folder = Directory.CreateTempSubdirectory("dockerdash-promtool-").FullName;
        try
        {
            var token = Path.Combine(folder, "token");
            await File.WriteAllTextAsync(token, "a-token");
            var config = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(shipped)).Replace("/etc/prometheus/dockerdash.token", token, StringComparison.Ordinal));
            using var check = Process.Start(new ProcessStartInfo("promtool", ["check", "config", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var said = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
            await check.WaitForExitAsync();

            Assert.True(check.ExitCode == 0, said);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The values of an instant query's series, or none while Prometheus is not answering yet.</summary>
    private static async Task<List<string>> QueryAsync(HttpClient api, string query)
    {
        try
        {
            using var document = JsonDocument.Parse(await api.GetStringAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative)));
            return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.GetProperty("value")[1].GetString()!)];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}
