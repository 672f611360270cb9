using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Alerts;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.History;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// Issue 17's second round, against the rig engine with history on (sampled every second here): a container burning CPU
/// fires the threshold rule, then "resolved" when it calms down, and its history and the ranking show the burn; a
/// container logging errors fires the log rule once per window, to a webhook and by e-mail to a local mail server.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ResourceAlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SmtpReceiver _mail = new();
    private readonly RigEngine _engine = new();
    private DashboardApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await DashboardApp.StartAsync([.. _mail.Settings, "--DockerDash:History:Enabled=true"]);
        await _app.WaitForEngineAsync("rig", EngineStatus.Up);
        await _app.Get<AlertMonitor>().Listening;
    }

    private AlertService Alerts() => _app.As<AlertService>();

    private async Task<AlertWebhook> TargetAsync(string name, string address, WebhookFormat format)
    {
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = name, Url = address, Format = format });
        return (await Alerts().WebhooksAsync()).Single(w => w.Name == name);
    }

    [Fact]
    public async Task A_container_burning_cpu_fires_the_threshold_rule_then_resolves_and_its_history_and_the_ranking_show_the_burn()
    {
        using var receiver = new WebhookReceiver();
        await TargetAsync("receiver", receiver.Url.ToString(), WebhookFormat.Json);
        await Alerts().SaveRuleAsync(new AlertRule { Name = "busy", Kind = AlertKind.CpuAbove, NamePattern = "dd-burner-*", ThresholdPercent = 50, ForSeconds = 2 });

        // Busy until told to stop (SIGUSR1), then idle.
        var id = await _engine.RunAsync("burner", ["sh", "-c", "trap 'calm=1' USR1; while [ -z \"$calm\" ]; do :; done; exec sleep 2147483647"]);
        var name = (await _engine.InspectAsync(id)).Name.TrimStart('/');

        var fired = await receiver.NextAsync(Patience);
        Assert.Equal(("busy", "CpuAbove", name), (fired.GetProperty("rule").GetString(), fired.GetProperty("kind").GetString(), fired.GetProperty("container").GetProperty("name").GetString()));
        Assert.Contains($"CPU of {name} on rig has been above 50 % for", fired.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, fired.GetProperty("resolvedAt").ValueKind);

        await _engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "USR1" });
        var resolved = await receiver.NextAsync(Patience);
        Assert.Equal("busy", resolved.GetProperty("rule").GetString());
        Assert.Contains($"CPU of {name} on rig is back to", resolved.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, resolved.GetProperty("resolvedAt").ValueKind);

        var history = _app.As<HistoryService>();
        var points = await history.ContainerAsync(new ContainerKey("rig", id), HistoryWindow.Hour, CancellationToken.None);
        Assert.Contains(points, p => p.CpuPercent > 50);
        Assert.Contains(points, p => p.MemoryBytes > 0);
        Assert.Contains(await history.EngineAsync("rig", HistoryWindow.Hour, CancellationToken.None), p => p.CpuPercent > 50);
        var ranked = await history.RankAsync(HistoryWindow.Hour, CancellationToken.None);
        Assert.Equal(name, ranked[0].Name);
    }

    [Fact]
    public async Task A_container_logging_errors_fires_the_log_rule_once_per_window_to_a_webhook_and_by_e_mail()
    {
        using var receiver = new WebhookReceiver();
        await TargetAsync("receiver", receiver.Url.ToString(), WebhookFormat.Json);
        var email = await TargetAsync("on call", "oncall@dockerdash.test, ops@dockerdash.test", WebhookFormat.Email);

        // The target's test message arrives first, through the same mail server.
        Assert.Equal("The test message to 'on call' was delivered.", await Alerts().TestWebhookAsync(email.Id));
        var test = await _mail.NextAsync(Patience);
        Assert.Equal("[DockerDash] Test message: -", test.Subject);
        Assert.Equal(["oncall@dockerdash.test", "ops@dockerdash.test"], test.To.Mailboxes.Select(m => m.Address));

        await Alerts().SaveRuleAsync(new AlertRule { Name = "disk errors", Kind = AlertKind.LogMatch, NamePattern = "dd-logger-*", Pattern = @"ERROR disk (full|gone) \d+", WindowMinutes = 10 });
        var id = await _engine.RunAsync("logger", ["sh", "-c", "i=0; while :; do i=$((i+1)); echo \"INFO all well $i\"; echo \"ERROR disk full $i\"; sleep 0.2; done"]);
        var name = (await _engine.InspectAsync(id)).Name.TrimStart('/');

        var fired = await receiver.NextAsync(Patience);
        Assert.Equal(("disk errors", "LogMatch", name), (fired.GetProperty("rule").GetString(), fired.GetProperty("kind").GetString(), fired.GetProperty("container").GetProperty("name").GetString()));
        Assert.Matches($"^{name} on rig logged: ERROR disk full \\d+$", fired.GetProperty("message").GetString());
        var mail = await _mail.NextAsync(Patience);
        Assert.Equal($"[DockerDash] disk errors: {name} on rig", mail.Subject);
        Assert.Contains($"{name} on rig logged: ERROR disk full", mail.TextBody, StringComparison.Ordinal);

        // Ten more matching lines later, still one firing: the rest of the window is counted, not sent.
        var matched = int.Parse(fired.GetProperty("message").GetString()!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.GetAsync(() => _engine.LogsAsync(id), log => log.Contains($"ERROR disk full {matched + 10}\n", StringComparison.Ordinal), Patience, "ten more error lines");
        var firings = (await Alerts().FiringsAsync()).Where(f => f.RuleName == "disk errors").ToList();
        Assert.Single(firings);
        Assert.Equal(0, receiver.Waiting);
        Assert.Equal(0, _mail.Waiting);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _app.DisposeAsync();
        _mail.Dispose();
    }
}
