using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Alerts;
using DockerDash.Events;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Alert rules against the real engine: firings, webhooks, and a webhook that hangs.</summary>
public sealed class AlertTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private AlertService Alerts() => fixture.App.As<AlertService>();

    private async Task<AlertRule> RuleAsync(AlertKind kind, string namePattern, int restartLimit = 3)
    {
        var rule = new AlertRule { Name = $"{kind} {namePattern}", Kind = kind, NamePattern = $"*{namePattern}", RestartLimit = restartLimit, WindowMinutes = 5 };
        await Alerts().SaveRuleAsync(rule);
        await fixture.App.Get<AlertMonitor>().Listening;
        return rule;
    }

    /// <summary>A container (not started yet) that exits with 1 and is restarted by the engine each time: a crash loop.</summary>
    private async Task<CreateContainerResponse> CrashLoopAsync(string name)
    {
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = TestRig.Image,
            Cmd = ["sh", "-c", "exit 1"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            HostConfig = new HostConfig { NetworkMode = "none", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.Always } },
        });
        fixture.Engine.Track(created.ID);
        return created;
    }

    private async Task<IReadOnlyList<AlertFiring>> FiringsForAsync(string containerId) =>
        (await Alerts().FiringsAsync()).Where(f => f.ContainerId == containerId).ToList();

    [Fact]
    public async Task A_container_that_exits_with_code_3_fires_the_died_rule_once_and_the_webhook_gets_it()
    {
        using var receiver = new WebhookReceiver();
        var prefix = TestRig.UniqueName("dies");
        await RuleAsync(AlertKind.Died, prefix + "*");
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = "receiver " + prefix, Url = receiver.Url.ToString(), Format = WebhookFormat.Json });

        var id = await fixture.Engine.RunAsync(prefix, ["sh", "-c", "exit 3"]);

        var payload = await receiver.NextAsync(Patience);
        Assert.Equal("Died", payload.GetProperty("kind").GetString());
        Assert.Equal(id, payload.GetProperty("container").GetProperty("id").GetString());
        Assert.Equal("rig", payload.GetProperty("engine").GetString());
        Assert.Contains("exited with code 3", payload.GetProperty("message").GetString(), StringComparison.Ordinal);

        var firings = await Eventually.GetAsync(() => FiringsForAsync(id), f => f.Count > 0, Patience, "the firing recorded");
        await Task.Delay(1000);
        Assert.Single(await FiringsForAsync(id));
        Assert.Equal(0, receiver.Waiting);

        var acknowledged = await Alerts().AcknowledgeAsync([firings[0].Id]);
        Assert.Equal(1, acknowledged);
        Assert.Equal(TestCallers.Admin.DisplayName, (await FiringsForAsync(id))[0].AcknowledgedBy);
    }

    [Fact]
    public async Task A_clean_exit_fires_nothing()
    {
        var prefix = TestRig.UniqueName("clean");
        await RuleAsync(AlertKind.Died, prefix + "*");
        var marker = TestRig.UniqueName("marker");
        await RuleAsync(AlertKind.Died, marker + "*");

        var clean = await fixture.Engine.RunAsync(prefix, ["true"]);
        var failing = await fixture.Engine.RunAsync(marker, ["false"]);

        // Events are evaluated in order: once the later failure has fired, the clean exit has been judged.
        await Eventually.GetAsync(() => FiringsForAsync(failing), f => f.Count == 1, Patience, "the failing container's firing");
        Assert.Empty(await FiringsForAsync(clean));
    }

    [Fact]
    public async Task A_container_whose_health_check_fails_fires_unhealthy()
    {
        var prefix = TestRig.UniqueName("sick");
        await RuleAsync(AlertKind.Unhealthy, prefix + "*");
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = prefix,
            Image = TestRig.Image,
            Cmd = ["sleep", "3600"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            Healthcheck = new HealthcheckConfig { Test = ["CMD", "false"], Interval = TimeSpan.FromMilliseconds(500), Retries = 1, Timeout = TimeSpan.FromSeconds(2) },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        fixture.Engine.Track(created.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());

        var firings = await Eventually.GetAsync(() => FiringsForAsync(created.ID), f => f.Count > 0, Patience, "an unhealthy firing");
        Assert.Equal(AlertKind.Unhealthy, firings[0].Kind);
        Assert.Contains("turned unhealthy", firings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarting_container_fires_the_restart_rule_after_more_than_n_restarts()
    {
        var prefix = TestRig.UniqueName("flappy");
        await RuleAsync(AlertKind.Restarting, prefix + "*", restartLimit: 2);
        var created = await CrashLoopAsync(prefix);
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());

        var firings = await Eventually.GetAsync(() => FiringsForAsync(created.ID), f => f.Any(x => x.Kind == AlertKind.Restarting), Patience, "a restart firing");
        var restarts = (await fixture.Engine.InspectAsync(created.ID)).RestartCount;
        Assert.True(restarts >= 3, $"fired after {restarts} restarts, the limit is more than 2");
        Assert.Single(firings, f => f.Kind == AlertKind.Restarting);
    }

    [Fact]
    public async Task A_crash_loop_is_one_firing_counted_again_not_a_notification_every_time()
    {
        using var receiver = new WebhookReceiver();
        var prefix = TestRig.UniqueName("loop");
        await RuleAsync(AlertKind.Died, prefix + "*");
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = "receiver " + prefix, Url = receiver.Url.ToString(), Format = WebhookFormat.Json });
        var created = await CrashLoopAsync(prefix);
        using var listener = new CancellationTokenSource(Patience);
        var notified = fixture.App.Get<AlertNotifications>().ListenAsync(listener.Token).Where(f => f.ContainerId == created.ID).GetAsyncEnumerator(listener.Token);
        var first = notified.MoveNextAsync(); // listens from now on
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());

        var firings = await Eventually.GetAsync(() => FiringsForAsync(created.ID), f => f.Count == 1 && f[0].Count >= 3, Patience, "the deaths counted on one firing");
        await fixture.Engine.RemoveAsync(created.ID);

        Assert.Equal(AlertRule.DefaultCooldownMinutes, (await Alerts().RulesAsync()).Single(r => r.NamePattern == $"*{prefix}*").CooldownMinutes);
        Assert.NotNull(firings[0].LastFiredAt);
        Assert.Contains("exited with code 1", (await receiver.NextAsync(Patience)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, receiver.Waiting);

        // Pages hear the first firing as new and the rest as repeats of it (which the toasts leave alone).
        Assert.True(await first);
        Assert.False(notified.Current.IsRepeat);
        Assert.True(await notified.MoveNextAsync());
        Assert.True(notified.Current.IsRepeat);
        Assert.Equal(firings[0].Id, notified.Current.Id);
        await notified.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_receiver_that_hangs_does_not_hold_up_events_or_other_firings()
    {
        using var hanging = new HangingReceiver();
        using var receiver = new WebhookReceiver();
        var prefix = TestRig.UniqueName("hang");
        await RuleAsync(AlertKind.Died, prefix + "*");
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = "a hanging receiver " + prefix, Url = hanging.Url.ToString() });
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = "a working receiver " + prefix, Url = receiver.Url.ToString() });
        using var watching = new CancellationTokenSource(Patience);
        var events = fixture.App.As<EventService>().StreamAsync(new EngineEventFilter(Type: "container", Action: "start"), watching.Token).GetAsyncEnumerator(watching.Token);
        var firstEvent = events.MoveNextAsync();

        var first = await fixture.Engine.RunAsync(prefix, ["false"]);
        await receiver.NextAsync(Patience);
        await Eventually.GetAsync(() => Task.FromResult(hanging.Held), held => held > 0, Patience, "the hanging receiver holding a call");

        // While that call hangs, the next container's events and firing still come through.
        var second = await fixture.Engine.RunAsync(prefix, ["false"]);
        var payload = await receiver.NextAsync(Patience);
        Assert.Equal(second, payload.GetProperty("container").GetProperty("id").GetString());
        var started = new List<string>();
        for (var more = await firstEvent; more && started.Count < 2; more = await events.MoveNextAsync())
        {
            // Other tests' containers (one restarts forever) start too: only these two count.
            if (events.Current.Id == first || events.Current.Id == second)
            {
                started.Add(events.Current.Id);
            }
        }

        Assert.Equal([first, second], started);
        Assert.Equal(1, hanging.Held);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task Rules_and_webhooks_with_bad_input_are_refused_with_a_message()
    {
        var noName = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => Alerts().SaveRuleAsync(new AlertRule { Name = " " }));
        var badUrl = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => Alerts().SaveWebhookAsync(new AlertWebhook { Name = "x", Url = "ftp://nowhere" }));

        Assert.Equal("A rule needs a name.", noName.Message);
        Assert.Equal("'ftp://nowhere' is not an http(s) address.", badUrl.Message);
    }
}
