using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Alerts;
using DockerDash.Images;
using DockerDash.Registries;
using DockerDash.Security;
using DockerDash.Testing;
using DockerDash.Updates;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>"Update available", updates with rollback, and redeploy webhooks, against the rig's engine and registries.</summary>
public sealed class UpdateTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<string> PublishAsync(string reference, string change, AuthConfig? auth = null) =>
        (await fixture.Engine.PublishAsync(reference, change, auth)).Digest;

    private async Task<string> RunAsync(string name, string reference)
    {
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = reference,
            Env = ["MODE=blue"],
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId, ["role"] = "api" },
            HostConfig = new HostConfig { NetworkMode = "none", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped } },
        });
        fixture.Engine.Track(created.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private static async Task<JsonElement> CheckAsync(HubConnection hub, string container) =>
        (await hub.InvokeAsync<JsonElement>("CheckUpdates", new { engine = "rig", container })).GetProperty("updates")[0];

    private Task RemoveImagesAsync(params string[] ids) => fixture.Engine.RemoveImagesAsync(ids);

    [Fact]
    public async Task A_new_tag_is_found_applied_with_the_same_settings_and_a_failing_one_is_rolled_back()
    {
        using var receiver = new WebhookReceiver();
        var alerts = fixture.App.As<AlertService>();
        var name = TestRig.UniqueName("update");
        await alerts.SaveRuleAsync(new AlertRule { Name = "updates " + name, Kind = AlertKind.UpdateAvailable, NamePattern = name });
        await alerts.SaveWebhookAsync(new AlertWebhook { Name = "receiver " + name, Url = receiver.Url.ToString(), Format = WebhookFormat.Json });
        var reference = $"{TestRig.Registry}/dd/update-{TestRig.RunId}:live";
        await PublishAsync(reference, "LABEL version=1");
        var v1 = (await fixture.Engine.Client.Images.InspectImageAsync(reference)).ID;
        var id = await RunAsync(name, reference);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Operator));
        await hub.StartAsync();
        Assert.Equal("up-to-date", (await CheckAsync(hub, id)).GetProperty("status").GetString());

        var v2Digest = await PublishAsync(reference, "LABEL version=2");
        var v2 = (await fixture.Engine.Client.Images.InspectImageAsync(reference)).ID;
        var found = await CheckAsync(hub, name);
        Assert.Equal("available", found.GetProperty("status").GetString());
        Assert.Equal(v2Digest, found.GetProperty("newDigest").GetString());
        Assert.Contains(await hub.InvokeAsync<JsonElement[]>("ListUpdates"), u => u.GetProperty("id").GetString() == id && u.GetProperty("status").GetString() == "available");
        var alert = await receiver.NextAsync(Patience);
        Assert.Equal("UpdateAvailable", alert.GetProperty("kind").GetString());
        Assert.Contains(ContainerUpdateState.Abbreviated(v2Digest), alert.GetProperty("message").GetString(), StringComparison.Ordinal);

        var outcome = await hub.InvokeAsync<string>("UpdateContainer", new { engine = "rig", id });
        Assert.Contains("updated to", outcome, StringComparison.Ordinal);
        var updated = await fixture.Engine.InspectAsync(name);
        fixture.Engine.Track(updated.ID);
        Assert.NotEqual(id, updated.ID);
        Assert.Equal(v2, updated.Image);
        Assert.True(updated.State?.Running);
        Assert.Contains("MODE=blue", updated.Config?.Env ?? []);
        Assert.Equal("api", updated.Config?.Labels?["role"]);
        Assert.Equal(RestartPolicyKind.UnlessStopped, updated.HostConfig?.RestartPolicy?.Name);
        Assert.Equal("up-to-date", (await CheckAsync(hub, name)).GetProperty("status").GetString());

        await PublishAsync(reference, """CMD ["sh", "-c", "exit 1"]""");
        var v3 = (await fixture.Engine.Client.Images.InspectImageAsync(reference)).ID;
        var rolledBack = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("UpdateContainer", new { engine = "rig", id = name }));
        Assert.Contains("exited with code 1", rolledBack.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back: the previous container runs again", rolledBack.Message, StringComparison.Ordinal);
        var after = await fixture.Engine.InspectAsync(name);
        Assert.Equal(updated.ID, after.ID);
        Assert.Equal(v2, after.Image);
        Assert.True(after.State?.Running);
        Assert.Contains(await fixture.App.AuditAsync(), e => e.Operation == "container.update" && e.Outcome == "Failed" && e.Message!.Contains("rolled back", StringComparison.Ordinal));

        await fixture.Engine.RemoveAsync(after.ID);
        await RemoveImagesAsync(v1, v2, v3);
    }

    [Fact]
    public async Task A_pinned_container_is_never_touched_a_local_image_is_not_compared_and_an_unreachable_registry_is_a_state()
    {
        var repository = $"{TestRig.Registry}/dd/pinned-{TestRig.RunId}";
        var digest = await PublishAsync(repository + ":1", "LABEL version=1");
        var pinned = await RunAsync(TestRig.UniqueName("pinned"), $"{repository}@{digest}");
        var local = await fixture.SharedSleeperAsync();
        // The same registry under another name, and a saved entry that calls it over https: it cannot answer.
        var elsewhere = $"localhost:{TestRig.Registry.Split(':')[1]}/dd/elsewhere-{TestRig.RunId}:1";
        await PublishAsync(elsewhere, "LABEL version=1");
        await fixture.App.As<RegistryService>().SaveAsync(new RegistryForm(0, TestRig.UniqueName("https-only"), $"https://localhost:{TestRig.Registry.Split(':')[1]}", null, null));
        var unreachable = await RunAsync(TestRig.UniqueName("unreachable"), elsewhere);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();

        Assert.Equal("pinned", (await CheckAsync(hub, pinned)).GetProperty("status").GetString());
        var localState = await CheckAsync(hub, local);
        Assert.Equal("local", localState.GetProperty("status").GetString());
        var cannot = await CheckAsync(hub, unreachable);
        Assert.Equal("unreachable", cannot.GetProperty("status").GetString());
        Assert.Contains("cannot reach localhost", cannot.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var updater = fixture.App.As<ContainerUpdater>(TestCallers.With(DashboardRole.Operator));
        var job = updater.UpdateContainer(new("rig", pinned));
        await job.Completion;
        Assert.Contains("pinned by digest", job.Outcome, StringComparison.Ordinal);
        Assert.True((await fixture.Engine.InspectAsync(pinned)).State?.Running);
        var viewer = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("UpdateContainer", new { engine = "rig", id = pinned }));
        Assert.Contains("You may not container.update", viewer.Message, StringComparison.Ordinal);

        await fixture.Engine.RemoveAsync(pinned);
        await fixture.Engine.RemoveAsync(unreachable);
        await RemoveImagesAsync(repository + ":1", elsewhere);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task A_registry_that_needs_credentials_is_asked_with_the_saved_ones_and_says_401_without(string kind)
    {
        var host = kind == "basic" ? TestRig.RegistryBasic : TestRig.RegistryToken;
        var repository = $"dd/update-{kind}-{TestRig.RunId}";
        using var pusher = kind == "basic"
            ? new RegistryPusher(host, TestRig.RegistryUser, TestRig.RegistryPassword)
            : RegistryPusher.WithToken(host, TokenIssuer.Shared.TokenFor(repository));
        var (_, digest, _) = await pusher.ImageAsync(repository, "amd64", $"{kind} update layer", "1");
        var name = RegistryImageName.Parse($"{host}/{repository}:1")!;
        var lookup = fixture.App.Get<RegistryLookup>();

        var anonymous = await lookup.DigestAsync(name, CancellationToken.None);
        await fixture.App.As<RegistryService>().SaveAsync(new RegistryForm(0, TestRig.UniqueName(kind), $"http://{host}", TestRig.RegistryUser, TestRig.RegistryPassword));
        var saved = await lookup.DigestAsync(name, CancellationToken.None);

        Assert.Null(anonymous.Digest);
        Assert.Contains("anonymously", anonymous.Problem, StringComparison.Ordinal);
        Assert.Equal(digest, saved.Digest);
    }

    [Fact]
    public async Task A_redeploy_webhook_updates_its_container_refuses_a_wrong_secret_a_second_call_too_soon_and_once_revoked()
    {
        var reference = $"{TestRig.Registry}/dd/webhook-{TestRig.RunId}:live";
        await PublishAsync(reference, "LABEL version=1");
        var v1 = (await fixture.Engine.Client.Images.InspectImageAsync(reference)).ID;
        var name = TestRig.UniqueName("webhook");
        var id = await RunAsync(name, reference);
        await PublishAsync(reference, "LABEL version=2");
        var v2 = (await fixture.Engine.Client.Images.InspectImageAsync(reference)).ID;
        var hooks = fixture.App.As<UpdateWebhookService>();
        var created = await hooks.CreateAsync(new UpdateWebhookForm("deploy " + name, UpdateWebhookTarget.Container, "rig", name));
        using var http = new HttpClient { BaseAddress = fixture.App.Address };

        using var wrong = await http.PostAsync(new Uri(created.Path + "x", UriKind.Relative), null);
        using var call = await http.PostAsync(new Uri(created.Path + "?wait=true", UriKind.Relative), null);
        var answer = await call.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await http.PostAsync(new Uri(created.Path, UriKind.Relative), null);
        await hooks.RevokeAsync(created.Webhook.Id);
        using var revoked = await http.PostAsync(new Uri(created.Path, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("succeeded", answer.GetProperty("state").GetString());
        Assert.Contains("updated to", answer.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.NotNull(again.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        var updated = await fixture.Engine.InspectAsync(name);
        Assert.Equal(v2, updated.Image);
        Assert.Contains(await fixture.App.AuditAsync(), e => e.Operation == "container.update" && e.Caller.Contains("webhook deploy " + name, StringComparison.Ordinal) && e.Outcome == "Succeeded");

        await fixture.Engine.RemoveAsync(updated.ID);
        await fixture.Engine.RemoveAsync(id);
        await RemoveImagesAsync(v1, v2);
    }
}
