using System.Net;
using System.Text.Json;
using DockerDash.Alerts;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Images;
using DockerDash.Jobs;
using DockerDash.Updates;
using DockerDash.Replicas;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Security.Tokens;
using DockerDash.IntegrationTests.Security;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>
/// Two replicas of DockerDash on one PostgreSQL database and one Redis, started together on a new database, each
/// watching the rig's engine. Sessions are re-checked only every 10 minutes here, so that whatever ends a session
/// within a test's patience is the signal between replicas, not the periodic check.
/// </summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    public DashboardApp A { get; private set; } = default!;

    public DashboardApp B { get; private set; } = default!;

    public RigEngine Engine { get; } = new();

    /// <summary>What every replica starts with: the database, Redis, sessions re-checked every 10 minutes.</summary>
    public string[] Settings { get; private set; } = [];

    /// <summary>The connection string of the replicas' database.</summary>
    public string Database { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await TestDatabases.CreateAsync();
        Settings = [.. TestDatabases.ReplicaSettings(Database), "--DockerDash:Security:RevalidationInterval=00:10:00"];
        var started = await Task.WhenAll(DashboardApp.StartAsync(Settings), DashboardApp.StartAsync(Settings));
        (A, B) = (started[0], started[1]);
        await Task.WhenAll(A.WaitForEngineAsync("rig", EngineStatus.Up), B.WaitForEngineAsync("rig", EngineStatus.Up));
    }

    /// <summary>The replica holding the lease for one-of-a-kind work, once one does; and the other.</summary>
    public async Task<(DashboardApp Holder, DashboardApp Other)> LeaseAsync() =>
        await Eventually.GetAsync(
            () => Task.FromResult(A.Get<ReplicaLease>().IsHeld ? (A, B) : B.Get<ReplicaLease>().IsHeld ? (B, A) : (null!, null!)),
            pair => pair.Item1 is not null,
            TimeSpan.FromSeconds(20),
            "a replica to hold the lease");

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await TestDatabases.DropAsync(Database);
    }
}

public sealed class ReplicaTests(ReplicaFixture fixture) : IClassFixture<ReplicaFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Rules and webhooks a test made: removed after it (every firing goes to every webhook of the shared database).</summary>
    private readonly List<string> _prefixes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var alerts = fixture.A.As<AlertService>();
        foreach (var prefix in _prefixes)
        {
            foreach (var rule in (await alerts.RulesAsync()).Where(r => r.Name.EndsWith(prefix, StringComparison.Ordinal)))
            {
                await alerts.DeleteRuleAsync(rule.Id);
            }

            foreach (var webhook in (await alerts.WebhooksAsync()).Where(w => w.Name.EndsWith(prefix, StringComparison.Ordinal)))
            {
                await alerts.DeleteWebhookAsync(webhook.Id);
            }
        }
    }

    /// <summary>A unique name whose rules and webhooks (named "... NAME") are removed after the test.</summary>
    private string Owned(string prefix)
    {
        var name = TestRig.UniqueName(prefix);
        _prefixes.Add(name);
        return name;
    }

    [Fact]
    public async Task Started_together_on_a_new_database_both_replicas_serve_and_exactly_one_holds_the_lease()
    {
        var (holder, other) = await fixture.LeaseAsync();

        Assert.True(holder.Get<ReplicaLease>().IsHeld);
        Assert.False(other.Get<ReplicaLease>().IsHeld);
        Assert.False(other.Get<LeaseState>().Held);
        using var http = new HttpClient();
        foreach (var app in new[] { fixture.A, fixture.B })
        {
            using var health = await http.GetAsync(new Uri(app.Address, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task A_user_created_on_one_replica_signs_in_on_the_other_and_that_cookie_works_on_both()
    {
        var name = TestRig.UniqueName("replica-user");
        await fixture.A.As<AccountService>().AddUserAsync(name, "the-replica-password", [new GrantSpec("*", DashboardRole.Viewer)]);

        using var browser = new SessionSecurityTests.LoginForm(fixture.B.Address);
        Assert.Equal(HttpStatusCode.Redirect, await browser.PostStatusAsync(name, "the-replica-password"));

        // The session cookie minted by B is read by A: the replicas share the Data Protection key ring.
        foreach (var app in new[] { fixture.B, fixture.A })
        {
            using var page = await browser.Http.GetAsync(new Uri(app.Address, "/containers"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_revoked_on_one_replica_closes_its_stream_on_the_other_at_once()
    {
        var token = await fixture.A.CreateTokenAsync(DashboardRole.Viewer);
        await using var hub = fixture.B.Hub(token);
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        var broadcast = fixture.B.Get<EngineEventBroadcast>();
        var subscribers = broadcast.SubscriberCount;
        await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" });
        await Eventually.GetAsync(() => Task.FromResult(broadcast.SubscriberCount), n => n > subscribers, Patience, "the stream open on B");

        await fixture.A.As<TokenService>().RevokeAsync(token.Split('_')[1]);

        // Sessions are re-checked every 10 minutes here: only the signal from A can close B's connection this soon.
        await closed.Task.WaitAsync(Patience);
        await Eventually.GetAsync(() => Task.FromResult(broadcast.SubscriberCount), n => n == subscribers, Patience, "B to end the stream");
    }

    [Fact]
    public async Task A_user_locked_on_one_replica_loses_the_other_replicas_connection_at_once()
    {
        var name = TestRig.UniqueName("replica-locked");
        var user = await fixture.A.As<AccountService>().AddUserAsync(name, "the-replica-password", [new GrantSpec("*", DashboardRole.Viewer)]);
        using var browser = new SessionSecurityTests.LoginForm(fixture.B.Address);
        await browser.PostAsync(name, "the-replica-password");
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.B.Address, "/hubs/docker"), o => o.Cookies = browser.Cookies).Build();
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();

        await fixture.A.As<AccountService>().LockAsync(user.Id);

        await closed.Task.WaitAsync(Patience);
        using var page = await browser.Http.GetAsync(new Uri(fixture.B.Address, "/containers"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task An_engine_event_reaches_hub_clients_of_both_replicas()
    {
        var id = await fixture.Engine.RunAsync("replica-event", ["true"], start: false);
        var seen = await Task.WhenAll(SeeStartAsync(fixture.A), SeeStartAsync(fixture.B));
        Assert.All(seen, action => Assert.Equal("start", action));

        async Task<string> SeeStartAsync(DashboardApp app)
        {
            await using var hub = app.Hub(await app.CreateTokenAsync(DashboardRole.Viewer));
            await hub.StartAsync();
            using var cancel = new CancellationTokenSource(Patience);
            var broadcast = app.Get<EngineEventBroadcast>();
            var subscribers = broadcast.SubscriberCount;
            var stream = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig", type = "container", container = id[..12] }, cancel.Token);
            await Eventually.GetAsync(() => Task.FromResult(broadcast.SubscriberCount), n => n > subscribers, Patience, "the hub's event subscription");
            await StartOnceAsync();
            await foreach (var e in stream.ReadAllAsync(cancel.Token))
            {
                if (e.GetProperty("action").GetString() == "start")
                {
                    return "start";
                }
            }

            return "nothing";
        }

        async Task StartOnceAsync()
        {
            // Both subscriptions must be open before the one start: the second caller starts it.
            if (Interlocked.Increment(ref _subscribed) == 2)
            {
                await fixture.Engine.Client.Containers.StartContainerAsync(id, new Docker.DotNet.Models.ContainerStartParameters());
            }
        }
    }

    private int _subscribed;

    [Fact]
    public async Task An_alert_is_sent_once_across_both_replicas_and_once_again_after_the_lease_holder_dies()
    {
        using var receiver = new WebhookReceiver();
        var prefix = Owned("replica-dies");
        var (holder, other) = await fixture.LeaseAsync();

        // Made on the replica that does not evaluate rules: the holder learns of them from the signal.
        var alerts = other.As<AlertService>();
        await alerts.SaveRuleAsync(new AlertRule { Name = "died " + prefix, Kind = AlertKind.Died, NamePattern = $"*{prefix}*" });
        await alerts.SaveWebhookAsync(new AlertWebhook { Name = "receiver " + prefix, Url = receiver.Url.ToString(), Format = WebhookFormat.Json });
        await Eventually.GetAsync(() => Task.FromResult(holder.Get<AlertStore>().Webhooks.Count(w => w.Url == receiver.Url.ToString())), n => n == 1, Patience, "the holder to read the new rule");
        await holder.Get<AlertMonitor>().Listening;

        var first = await fixture.Engine.RunAsync(prefix + "-1", ["sh", "-c", "exit 3"]);
        var second = await fixture.Engine.RunAsync(prefix + "-2", ["sh", "-c", "exit 4"]);
        Assert.Equal(new[] { first, second }.Order(), await ContainersOfAsync(receiver, 2));
        var webhook = holder.Get<AlertStore>().Webhooks.Single(w => w.Url == receiver.Url.ToString());
        await Eventually.GetAsync(() => OwedToAsync(holder, webhook), owed => owed == 0, Patience, "the holder to record both deliveries");

        // The holder's database session ends as when its machine dies: PostgreSQL lets the lease go, the old holder
        // notices and stops itself, the other replica takes over. A container dying meanwhile is alerted once, by
        // whichever of them saw it in time; the next one by the new holder.
        Assert.Equal(1, await TestDatabases.EndAdvisoryLockHoldersAsync(fixture.Database));
        var third = await fixture.Engine.RunAsync(prefix + "-3", ["sh", "-c", "exit 5"]);
        await Eventually.GetAsync(() => Task.FromResult(other.Get<ReplicaLease>().IsHeld), held => held, Patience, "the other replica to take the lease");
        var stopping = holder.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        Assert.True(stopping.IsCancellationRequested);
        await holder.StopAsync();
        try
        {
            await other.Get<AlertMonitor>().Listening;
            var fourth = await fixture.Engine.RunAsync(prefix + "-4", ["sh", "-c", "exit 6"]);
            Assert.Equal(new[] { third, fourth }.Order(), await ContainersOfAsync(receiver, 2));
            Assert.Equal(0, receiver.Waiting);
        }
        finally
        {
            await holder.StartAgainAsync();
        }

        // The restarted replica, which sent none of them since, counts all four from the records.
        var status = await Eventually.GetAsync(
            async () => (await holder.As<AlertService>().StatusesAsync()).GetValueOrDefault(webhook.Id),
            s => s?.Delivered == 4,
            Patience,
            "four deliveries counted");
        Assert.Equal((0, 0), (status!.Failed, status.Pending));
    }

    [Fact]
    public async Task An_alert_acknowledged_on_one_replica_shows_acknowledged_on_the_others_pages_at_once()
    {
        var prefix = Owned("replica-ack");
        var (holder, other) = await fixture.LeaseAsync();
        await holder.As<AlertService>().SaveRuleAsync(new AlertRule { Name = "died " + prefix, Kind = AlertKind.Died, NamePattern = $"*{prefix}*" });
        await Eventually.GetAsync(() => Task.FromResult(holder.Get<AlertStore>().Rules.Count(r => r.Name == "died " + prefix)), n => n == 1, Patience, "the holder to read the rule");
        await holder.Get<AlertMonitor>().Listening;
        var id = await fixture.Engine.RunAsync(prefix, ["sh", "-c", "exit 3"]);
        var firing = await Eventually.GetAsync(
            async () => (await other.As<AlertService>().FiringsAsync()).FirstOrDefault(f => f.ContainerId == id),
            f => f is not null,
            Patience,
            "the firing");

        using var listening = new CancellationTokenSource(Patience);
        await using var shown = other.Get<AlertNotifications>().ListenAsync(listening.Token).GetAsyncEnumerator(listening.Token);
        var next = shown.MoveNextAsync();
        Assert.Equal(1, await holder.As<AlertService>().AcknowledgeAsync([firing!.Id]));

        // The firing's own notice can reach this replica after its record did (seen in a run): the acknowledgement is
        // the notice that says who.
        while (await next && shown.Current.AcknowledgedBy is null)
        {
            next = shown.MoveNextAsync();
        }

        Assert.Equal((firing.Id, TestCallers.Admin.DisplayName), (shown.Current.Id, shown.Current.AcknowledgedBy));
    }

    [Fact]
    public async Task A_notice_the_lease_holder_could_not_deliver_before_it_died_is_delivered_by_the_next_holder_once()
    {
        using var receiver = new WebhookReceiver { Refusing = true };
        var prefix = Owned("replica-owed");
        var (holder, other) = await fixture.LeaseAsync();
        var alerts = holder.As<AlertService>();
        await alerts.SaveRuleAsync(new AlertRule { Name = "died " + prefix, Kind = AlertKind.Died, NamePattern = $"*{prefix}*" });
        await alerts.SaveWebhookAsync(new AlertWebhook { Name = "receiver " + prefix, Url = receiver.Url.ToString(), Format = WebhookFormat.Json });
        var webhook = holder.Get<AlertStore>().Webhooks.Single(w => w.Url == receiver.Url.ToString());
        await holder.Get<AlertMonitor>().Listening;

        // The receiver is down: the holder retries with backoff, the notice stays owed.
        var first = await fixture.Engine.RunAsync(prefix + "-1", ["sh", "-c", "exit 3"]);
        var dispatcher = holder.Get<WebhookDispatcher>();
        await Eventually.GetAsync(() => Task.FromResult(dispatcher.StatusOf(webhook.Id).LastFailedAt), failed => failed is not null, Patience, "a refused attempt");

        // The holder dies before the receiver is back; the next holder sends what it owed, once.
        Assert.Equal(1, await TestDatabases.EndAdvisoryLockHoldersAsync(fixture.Database));
        await holder.StopAsync();
        try
        {
            receiver.Refusing = false;
            await Eventually.GetAsync(() => Task.FromResult(other.Get<ReplicaLease>().IsHeld), held => held, Patience, "the other replica to take the lease");
            Assert.Equal([first], await ContainersOfAsync(receiver, 1));

            var second = await fixture.Engine.RunAsync(prefix + "-2", ["sh", "-c", "exit 4"]);
            Assert.Equal([second], await ContainersOfAsync(receiver, 1));
            Assert.Equal(0, receiver.Waiting);
            await Eventually.GetAsync(() => OwedToAsync(other, webhook), owed => owed == 0, Patience, "both notices settled");
        }
        finally
        {
            await holder.StartAgainAsync();
        }
    }

    [Fact]
    public async Task A_job_started_on_one_replica_is_followed_and_cancelled_from_the_other()
    {
        var job = fixture.A.Get<JobRunner>().Start("pull", "pull on replica A", "rig", TestCallers.Admin, async op =>
        {
            op.ReportLayer("layer1", "Downloading", 50, 100);
            op.ReportLine("halfway");
            await Task.Delay(Timeout.Infinite, op.Cancellation);
            return "never";
        });

        var mirrored = await Eventually.GetAsync(
            () => Task.FromResult(fixture.B.Get<JobRunner>().VisibleTo(TestCallers.Admin).FirstOrDefault(j => j.Id == job.Id)),
            j => j is { Lines.Count: > 0, Layers.Count: > 0 },
            Patience,
            "B to show A's job with its progress");
        Assert.Equal(JobState.Running, mirrored!.State);
        Assert.NotNull(mirrored.Replica);
        Assert.Equal(["halfway"], mirrored.Lines);
        Assert.Equal(50, Assert.Single(mirrored.Layers).Percent);

        // Cancelled through B's gate, carried out by A, where the job runs; B shows how it ended.
        fixture.B.As<ImageService>().Cancel(mirrored);
        await job.Completion.WaitAsync(Patience);
        Assert.Equal(JobState.Cancelled, job.State);
        await mirrored.Completion.WaitAsync(Patience);
        Assert.Equal(JobState.Cancelled, mirrored.State);
        Assert.Equal(job.Outcome, mirrored.Outcome);

        // How it ended is kept in the database: a replica started later lists it too.
        await using var later = await DashboardApp.StartAsync(fixture.Settings);
        var kept = Assert.Single(later.Get<JobRunner>().VisibleTo(TestCallers.Admin), j => j.Id == job.Id);
        Assert.Equal((JobState.Cancelled, job.Outcome, job.Title), (kept.State, kept.Outcome, kept.Title));
    }

    [Fact]
    public async Task What_an_update_check_on_one_replica_finds_shows_on_the_other()
    {
        var id = await fixture.Engine.RunSleeperAsync("replica-update");
        var key = new DockerDash.Containers.ContainerKey("rig", id);
        await Eventually.GetAsync(() => Task.FromResult(fixture.B.Get<DockerDash.Containers.ContainerStore>().Find(key)), c => c is not null, Patience, "B to list the container");

        var found = Assert.Single((await fixture.B.Get<UpdateChecker>().CheckAsync(TestCallers.Admin, new UpdateScope(Engine: "rig", Container: id))).States);

        var shown = await Eventually.GetAsync(() => Task.FromResult(fixture.A.Get<UpdateChecker>().For(key)), s => s is not null, Patience, "A to know B's finding");
        Assert.Equal(found.Status, shown!.Status);
        Assert.Equal(found.CheckedAt, shown.CheckedAt);
    }

    /// <summary>How many notices to <paramref name="webhook"/> are still owed (every firing goes to every webhook).</summary>
    private static async Task<int> OwedToAsync(DashboardApp app, AlertWebhook webhook) =>
        (await app.Get<AlertStore>().OwedAsync(CancellationToken.None)).Count(o => o.Webhook == webhook.Id);

    /// <summary>The containers of the next <paramref name="count"/> deliveries, sorted; a duplicate would show as a repeat.</summary>
    private static async Task<IEnumerable<string>> ContainersOfAsync(WebhookReceiver receiver, int count)
    {
        var containers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            containers.Add((await receiver.NextAsync(Patience)).GetProperty("container").GetProperty("id").GetString()!);
        }

        return containers.Order();
    }
}
