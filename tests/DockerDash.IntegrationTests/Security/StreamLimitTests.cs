using System.Text.Json;
using System.Threading.Channels;
using DockerDash.Containers;
using DockerDash.Logs;
using DockerDash.Security;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// One client cannot hold the live streams hostage (issue 11, items 2 and 8): streams are capped per
/// connection and per user, costly filters run in the viewer's own reader and in linear time, and a line
/// without end is cut.
/// </summary>
public sealed class StreamLimitTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<string> RefusalOfAsync(ChannelReader<JsonElement> stream)
    {
        var error = await Assert.ThrowsAsync<HubException>(async () => await stream.Completion.WaitAsync(TimeSpan.FromSeconds(20)));
        return error.Message;
    }

    [Fact]
    public async Task The_21st_stream_on_one_connection_is_refused_with_a_message()
    {
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();
        using var cancel = new CancellationTokenSource();
        for (var i = 0; i < 20; i++)
        {
            await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);
        }

        // The server starts streams side by side: the 21st asked must be the 21st opened.
        var limits = fixture.App.Get<DockerDash.Hubs.HubStreamLimits>();
        await Eventually.GetAsync(() => Task.FromResult(limits.OpenFor(hub.ConnectionId!)), open => open == 20, TimeSpan.FromSeconds(20), "twenty streams open on the server");
        var extra = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);

        Assert.Contains("20 live streams open, the most allowed", await RefusalOfAsync(extra), StringComparison.Ordinal);
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task A_user_over_the_per_user_limit_across_connections_is_refused()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Streams:PerUser=3");
        var token = await app.CreateTokenAsync(DashboardRole.Viewer);
        await using var first = app.Hub(token);
        await using var second = app.Hub(token);
        await first.StartAsync();
        await second.StartAsync();
        using var cancel = new CancellationTokenSource();
        await first.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);
        await first.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);
        await second.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);
        var limits = app.Get<DockerDash.Hubs.HubStreamLimits>();
        await Eventually.GetAsync(() => Task.FromResult(limits.OpenFor(first.ConnectionId!) + limits.OpenFor(second.ConnectionId!)), open => open == 3, TimeSpan.FromSeconds(20), "three streams open on the server");

        var fourth = await second.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" }, cancel.Token);

        Assert.Contains("most allowed per user", await RefusalOfAsync(fourth), StringComparison.Ordinal);
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task A_catastrophic_regex_filter_still_delivers_the_lines_it_matches()
    {
        var id = await fixture.Engine.RunAsync("regex-logs", ["sh", "-c", "for i in 1 2 3; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done; sleep 3600"]);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Backtracking tries 2^40 ways for the first alternative before the second matches.
        var stream = await hub.StreamAsChannelAsync<JsonElement>("StreamLogs", new { engine = "rig", container = id, tail = 10, filter = "(a+)+b|a+$", regex = true }, timeout.Token);
        var first = await stream.ReadAsync(timeout.Token);

        Assert.Equal(new string('a', 40), first.GetProperty("text").GetString());
        await fixture.Engine.RemoveAsync(id);
    }

    [Fact]
    public async Task A_ten_megabyte_line_arrives_cut_to_64_KiB_with_how_much_was_cut()
    {
        var id = await fixture.Engine.RunAsync("long-line", ["sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' x; echo; echo after; sleep 3600"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var lines = new List<LogEntry>();

        await foreach (var entry in fixture.App.As<LogService>().StreamAsync(new ContainerKey("rig", id), new LogQuery(Tail: null), timeout.Token))
        {
            lines.Add(entry);
            if (entry.Line?.Text == "after")
            {
                break;
            }
        }

        var long_ = Assert.Single(lines, l => l.Line?.Text.StartsWith('x') == true).Line!.Text;
        Assert.True(long_.Length < LogFrameDecoder.MaxLineBytes + 200, $"{long_.Length} characters");
        Assert.Contains("more bytes of this line cut", long_, StringComparison.Ordinal);
        await fixture.Engine.RemoveAsync(id);
    }
}
