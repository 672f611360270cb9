using System.Net.Http.Json;
using System.Text.Json;
using DockerDash.Security;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

public class HubAndHealthTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task StreamEvents_yields_the_contracts_fields_for_the_containers_asked_for()
    {
        await using var hub = fixture.App.Hub(await fixture.App.CreateTokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();
        var id = await fixture.Engine.RunAsync("hub", ["sh", "-c", "sleep 0.3"], start: false);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var broadcast = fixture.App.Get<DockerDash.Events.EngineEventBroadcast>();
        var subscribers = broadcast.SubscriberCount;
        var stream = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig", type = "container", container = id[..12] }, cancel.Token);

        // The invocation has been sent; act once the server has subscribed.
        await Eventually.GetAsync(() => Task.FromResult(broadcast.SubscriberCount), n => n > subscribers, TimeSpan.FromSeconds(10), "the hub's event subscription");
        await fixture.Engine.Client.Containers.StartContainerAsync(id, new Docker.DotNet.Models.ContainerStartParameters(), cancel.Token);

        var actions = new List<string>();
        await foreach (var e in stream.ReadAllAsync(cancel.Token))
        {
            Assert.Equal("rig", e.GetProperty("engine").GetString());
            Assert.Equal("container", e.GetProperty("type").GetString());
            Assert.Equal(id, e.GetProperty("id").GetString());
            Assert.StartsWith("dd-hub-", e.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.True(e.GetProperty("timeNano").GetInt64() > 1_700_000_000_000_000_000);
            actions.Add(e.GetProperty("action").GetString()!);
            if (actions.Contains("die"))
            {
                break;
            }
        }

        Assert.Equal(["start", "die"], actions.Where(a => a is "start" or "die"));
    }

    [Fact]
    public async Task StreamEvents_for_an_unknown_engine_fails_with_a_message_not_a_stack_trace()
    {
        await using var hub = fixture.App.Hub(await fixture.App.CreateTokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<JsonElement>("StreamEvents", new { engine = "mars" }))
            {
            }
        });

        Assert.Contains("There is no engine named 'mars'.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_reports_each_engine_without_a_login()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };

        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        var engine = Assert.Single(body.GetProperty("engines").EnumerateArray());
        Assert.Equal(("rig", "up", "1.41"), (engine.GetProperty("name").GetString(), engine.GetProperty("status").GetString(), engine.GetProperty("apiVersion").GetString()));
    }
}
