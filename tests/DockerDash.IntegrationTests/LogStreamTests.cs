using System.Text.Json;
using DockerDash.Containers;
using DockerDash.Logs;
using DockerDash.Security;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Logs from the real engine: shared stream, bounded viewers, resume without gap or duplicate.</summary>
public class LogStreamTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const int LineCount = 20_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Waits a moment (so viewers can join), prints numbered lines as fast as it can, then idles.</summary>
    private static string[] NumberedLines(int count, double delaySeconds = 1.5) =>
        ["sh", "-c", $"sleep {delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; i=0; while [ $i -lt {count} ]; do echo \"line $i\"; i=$((i+1)); done; sleep 3600"];

    private LogService Logs() => fixture.App.As<LogService>();

    private static async Task<List<int>> CollectAsync(IAsyncEnumerable<LogEntry> stream, int until, List<LogPosition>? positions = null, CancellationToken cancellationToken = default)
    {
        var numbers = new List<int>();
        await foreach (var entry in stream.WithCancellation(cancellationToken))
        {
            Assert.Null(entry.Line is null ? $"skipped {entry.Skipped}" : null);
            var number = int.Parse(entry.Line!.Text["line ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            numbers.Add(number);
            positions?.Add(entry.Line.Position);
            if (number == until)
            {
                break;
            }
        }

        return numbers;
    }

    [Fact]
    public async Task Three_viewers_one_of_them_away_for_two_seconds_each_get_every_line_once_in_order()
    {
        var id = await fixture.Engine.RunAsync("numbered", NumberedLines(LineCount));
        var key = new ContainerKey("rig", id);
        using var timeout = new CancellationTokenSource(Patience);
        var query = new LogQuery(Tail: 0);

        var first = CollectAsync(Logs().StreamAsync(key, query, timeout.Token), LineCount - 1, cancellationToken: timeout.Token);
        var second = CollectAsync(Logs().StreamAsync(key, query, timeout.Token), LineCount - 1, cancellationToken: timeout.Token);

        // The third reads until line 3,000, goes away for two seconds, then resumes after the last position it had.
        var positions = new List<LogPosition>();
        var before = await CollectAsync(Logs().StreamAsync(key, query, timeout.Token), 3_000, positions, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        var after = await CollectAsync(Logs().StreamAsync(key, query with { After = positions[^1] }, timeout.Token), LineCount - 1, cancellationToken: timeout.Token);

        var expected = Enumerable.Range(0, LineCount).ToList();
        Assert.Equal(expected, await first);
        Assert.Equal(expected, await second);
        Assert.Equal(expected, before.Concat(after).ToList());
    }

    [Fact]
    public async Task A_compose_project_merges_the_logs_of_its_containers_each_line_naming_its_container()
    {
        var project = new Dictionary<string, string> { ["com.docker.compose.project"] = "merge-" + TestRig.RunId };
        var web = await fixture.Engine.RunAsync("merge-web", ["sh", "-c", "for i in 1 2 3; do echo web $i; done; sleep 3600"], labels: project);
        var db = await fixture.Engine.RunAsync("merge-db", ["sh", "-c", "for i in 1 2 3; do echo db $i; done; sleep 3600"], labels: project);
        await fixture.Store.WaitForAsync(c => c.Id == db, TimeSpan.FromSeconds(10), "the project's second container");
        var members = fixture.Store.Snapshot().Where(c => c.ComposeProject == project["com.docker.compose.project"]).ToList();
        using var timeout = new CancellationTokenSource(Patience);

        var entries = new List<LogEntry>();
        await foreach (var entry in Logs().StreamMergedAsync(members, new LogQuery(Tail: 10), timeout.Token))
        {
            entries.Add(entry);
            if (entries.Count == 6)
            {
                break;
            }
        }

        var names = members.ToDictionary(m => m.Id, m => m.Name);
        Assert.Equal(["web 1", "web 2", "web 3"], entries.Where(e => e.Container == names[web]).Select(e => e.Line!.Text));
        Assert.Equal(["db 1", "db 2", "db 3"], entries.Where(e => e.Container == names[db]).Select(e => e.Line!.Text));
    }

    [Fact]
    public async Task Interleaved_stdout_and_stderr_lose_no_line_in_history_or_live()
    {
        const int Pairs = 2000;
        var id = await fixture.Engine.RunAsync("interleaved", ["sh", "-c", $"sleep 1.5; i=0; while [ $i -lt {Pairs} ]; do echo \"o $i\"; echo \"e $i\" >&2; i=$((i+1)); done; sleep 3600"]);
        var key = new ContainerKey("rig", id);
        using var timeout = new CancellationTokenSource(Patience);

        var live = await TextsAsync(Logs().StreamAsync(key, new LogQuery(Tail: 0), timeout.Token), 2 * Pairs);
        var history = await TextsAsync(Logs().StreamAsync(key, new LogQuery(Tail: null), timeout.Token), 2 * Pairs);

        var expected = Enumerable.Range(0, Pairs).SelectMany(i => new[] { $"o {i}", $"e {i}" }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, live.Order(StringComparer.Ordinal));
        Assert.Equal(expected, history.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> TextsAsync(IAsyncEnumerable<LogEntry> stream, int count)
    {
        var texts = new List<string>();
        await foreach (var entry in stream)
        {
            texts.Add(entry.Line?.Text ?? $"skipped {entry.Skipped}");
            if (texts.Count == count)
            {
                break;
            }
        }

        return texts;
    }

    [Fact]
    public async Task A_line_longer_than_16_KiB_arrives_whole()
    {
        var id = await fixture.Engine.RunAsync("long-line", ["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' 'x'; echo; echo done; sleep 3600"]);
        using var timeout = new CancellationTokenSource(Patience);
        var lines = new List<string>();

        await foreach (var entry in Logs().StreamAsync(new ContainerKey("rig", id), new LogQuery(Tail: null), timeout.Token))
        {
            lines.Add(entry.Line!.Text);
            if (entry.Line.Text == "done")
            {
                break;
            }
        }

        Assert.Equal([new string('x', 40_000), "done"], lines);
    }

    [Fact]
    public async Task The_hub_streams_logs_and_resumes_after_a_position()
    {
        var id = await fixture.Engine.RunAsync("hub-logs", ["sh", "-c", "for i in 1 2 3 4 5; do echo \"n $i\"; done; sleep 0.2; echo oops >&2; sleep 3600"]);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();
        await Eventually.GetAsync(() => EngineLogContainsAsync(id, "oops"), found => found, TimeSpan.FromSeconds(10), "the container's last line in its log");

        var all = await ReadHubAsync(hub, new { engine = "rig", container = id, tail = 100 }, 6);
        var resumed = await ReadHubAsync(hub, new { engine = "rig", container = id, tail = 100, after = all[2].GetProperty("position").GetString() }, 3);

        // stdout and stderr are copied by separate engine routines: their relative order is the engine's.
        Assert.Equal(["n 1", "n 2", "n 3", "n 4", "n 5"], all.Where(e => e.GetProperty("stream").GetString() == "stdout").Select(e => e.GetProperty("text").GetString()));
        Assert.Equal(["oops"], all.Where(e => e.GetProperty("stream").GetString() == "stderr").Select(e => e.GetProperty("text").GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", all[0].GetProperty("time").GetString());
        Assert.Equal(all.Skip(3).Select(e => e.GetProperty("text").GetString()), resumed.Select(e => e.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task The_hub_streams_the_same_entries_in_batches()
    {
        var id = await fixture.Engine.RunAsync("hub-batches", ["sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo \"n $i\"; i=$((i+1)); done; sleep 3600"]);
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();
        await Eventually.GetAsync(async () => (await fixture.Engine.Client.Containers.InspectContainerAsync(id)).State!.Running, r => r, TimeSpan.FromSeconds(10), "running");
        await Eventually.GetAsync(async () => (await ReadHubAsync(hub, new { engine = "rig", container = id, tail = 1 }, 1))[0].GetProperty("text").GetString(), t => t == "n 2999", TimeSpan.FromSeconds(10), "all lines written");

        using var timeout = new CancellationTokenSource(Patience);
        var batches = new List<JsonElement[]>();
        await foreach (var batch in Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.StreamAsync<JsonElement[]>(hub, "StreamLogBatches", new { engine = "rig", container = id, tail = 5000 }, timeout.Token))
        {
            batches.Add(batch);
            if (batches.Sum(b => b.Length) == 3000)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"n {i}"), batches.SelectMany(b => b).Select(e => e.GetProperty("text").GetString()));
        // Per line would be 3,000 messages; how many lines share one depends on how the engine's reads fall on a
        // busy machine (300 batches seen under load), so the test asks for batching, not a batch size.
        Assert.True(batches.Count <= 3000 / 2, $"{batches.Count} batches for 3,000 lines that were all there");
    }

    [Fact]
    public async Task Live_batches_reach_json_and_messagepack_followers_alike_every_line_in_order()
    {
        // Quiet until told (SIGUSR1), then 3,000 lines at once: every follower is on the live feed when they come.
        var id = await fixture.Engine.RunAsync("hub-live", ["sh", "-c", "trap 'go=1' USR1; while [ -z \"$go\" ]; do sleep 0.1; done; i=0; while [ $i -lt 3000 ]; do echo \"n $i\"; i=$((i+1)); done; exec sleep 2147483647"]);
        var token = await fixture.TokenAsync(DashboardRole.Viewer);
        await using var json1 = fixture.App.Hub(token);
        await using var json2 = fixture.App.Hub(token);
        await using var pack = fixture.App.Hub(token, messagePack: true);
        using var timeout = new CancellationTokenSource(Patience);
        var followers = new List<Task<List<string?>>>();
        foreach (var hub in new[] { json1, json2 })
        {
            await hub.StartAsync(timeout.Token);
            var batches = Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.StreamAsync<JsonElement[]>(hub, "StreamLogBatches", new { engine = "rig", container = id, tail = 0 }, timeout.Token);
            followers.Add(ReadTextsAsync(batches, e => e.GetProperty("text").GetString()));
        }

        await pack.StartAsync(timeout.Token);
        // MessagePack carries the C# names as they are.
        var packed = Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.StreamAsync<Dictionary<string, object?>[]>(pack, "StreamLogBatches", new Dictionary<string, object?> { ["Engine"] = "rig", ["Container"] = id, ["Tail"] = 0 }, timeout.Token);
        followers.Add(ReadTextsAsync(packed, e => e["Text"] as string));
        var key = new ContainerKey("rig", id);
        await Eventually.GetAsync(() => Task.FromResult(fixture.App.Get<LogFeeds>().Find(key)?.ViewerCount ?? 0), n => n == 3, TimeSpan.FromSeconds(10), "three followers on the feed");

        await fixture.Engine.Client.Containers.KillContainerAsync(id, new Docker.DotNet.Models.ContainerKillParameters { Signal = "USR1" });

        var expected = Enumerable.Range(0, 3000).Select(i => (string?)$"n {i}").ToList();
        foreach (var texts in await Task.WhenAll(followers))
        {
            Assert.Equal(expected, texts);
        }
    }

    private static async Task<List<string?>> ReadTextsAsync<T>(IAsyncEnumerable<T[]> batches, Func<T, string?> text)
    {
        var texts = new List<string?>();
        await foreach (var batch in batches)
        {
            texts.AddRange(batch.Select(text));
            if (texts.Count >= 3000)
            {
                break;
            }
        }

        return texts;
    }

    private static async Task<List<JsonElement>> ReadHubAsync(Microsoft.AspNetCore.SignalR.Client.HubConnection hub, object query, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var entries = new List<JsonElement>();
        await foreach (var e in Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.StreamAsync<JsonElement>(hub, "StreamLogs", query, timeout.Token))
        {
            entries.Add(e);
            if (entries.Count == count)
            {
                break;
            }
        }

        return entries;
    }

    /// <summary>Whether the engine's log of <paramref name="id"/> has a line with <paramref name="text"/> yet.</summary>
    private async Task<bool> EngineLogContainsAsync(string id, string text)
    {
        using var stream = await fixture.Engine.Client.Containers.GetContainerLogsAsync(id, new Docker.DotNet.Models.ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return (stdout + stderr).Contains(text, StringComparison.Ordinal);
    }
}
