using DockerDash.Alerts;
using DockerDash.Engines;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// "Engine down" rules (issue 17): an engine unreachable for the rule's time fires once, its return resolves the firing
/// and the webhook hears both; a muted rule's firing is recorded but sent nowhere.
/// </summary>
public sealed class EngineDownAlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("dockerdash-flaky-").FullName;
    private DashboardApp _app = default!;

    private string Socket => Path.Combine(_folder, "docker.sock");

    public async Task InitializeAsync() =>
        _app = await DashboardApp.StartAsync("--DockerDash:Engines:1:Name=flaky", $"--DockerDash:Engines:1:Endpoint=unix://{Socket}");

    [Fact]
    public async Task An_engine_down_for_the_rules_time_fires_once_and_its_return_resolves_it_and_a_muted_rule_sends_nothing()
    {
        using var receiver = new WebhookReceiver();
        var alerts = _app.As<AlertService>();
        await _app.Get<AlertMonitor>().Listening;
        await alerts.SaveWebhookAsync(new AlertWebhook { Name = "receiver", Url = receiver.Url.ToString(), Format = WebhookFormat.Json });
        await alerts.SaveRuleAsync(new AlertRule { Name = "flaky down", Kind = AlertKind.EngineDown, Engine = "flaky", ForSeconds = 1 });
        await alerts.SaveRuleAsync(new AlertRule { Name = "muted down", Kind = AlertKind.EngineDown, Engine = "flaky", ForSeconds = 1 });
        await alerts.MuteRuleAsync((await alerts.RulesAsync()).Single(r => r.Name == "muted down").Id, TimeSpan.FromHours(1));

        var fired = await receiver.NextAsync(Patience);
        Assert.Equal(("flaky down", "EngineDown", "flaky"), (fired.GetProperty("rule").GetString(), fired.GetProperty("kind").GetString(), fired.GetProperty("engine").GetString()));
        Assert.Contains("Engine flaky has been down for", fired.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fired.GetProperty("resolvedAt").ValueKind);

        // The engine comes back: its socket appears (the rig's engine under another name).
        File.CreateSymbolicLink(Socket, new Uri(TestRig.EngineEndpoint).LocalPath);
        await _app.WaitForEngineAsync("flaky", EngineStatus.Up, Patience);

        var resolved = await receiver.NextAsync(Patience);
        Assert.Equal("flaky down", resolved.GetProperty("rule").GetString());
        Assert.Contains("Engine flaky is back up after", resolved.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, resolved.GetProperty("resolvedAt").ValueKind);
        var firings = await Eventually.GetAsync(() => alerts.FiringsAsync(), f => f.Count(x => x.ResolvedAt is not null) == 2, Patience, "both firings resolved");
        Assert.Equal(["flaky down", "muted down"], firings.Select(f => f.RuleName).Order());
        Assert.Equal(0, receiver.Waiting);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
