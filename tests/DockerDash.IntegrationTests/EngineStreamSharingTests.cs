using System.Diagnostics;
using DockerDash.Containers;
using DockerDash.Logs;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// Viewers of one container's log share one engine stream, counted as the kernel lists the engine's connections: all of
/// them, whoever opened them, so this class runs alone (<see cref="AloneCollection"/>).
/// </summary>
[Collection(AloneCollection.Name)]
public class EngineStreamSharingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LogService Logs() => fixture.App.As<LogService>();

    [Fact]
    public async Task Five_viewers_share_one_engine_stream_that_stops_after_the_last_leaves()
    {
        var id = await fixture.Engine.RunAsync("shared", ["sh", "-c", "while true; do echo tick; sleep 0.1; done"]);
        var key = new ContainerKey("rig", id);
        var feeds = fixture.App.Get<LogFeeds>();
        using var stop = new CancellationTokenSource(Patience);

        var viewers = new List<Task> { ReadSomeAsync(Logs().StreamAsync(key, new LogQuery(Tail: 1), stop.Token), stop.Token) };
        var withOne = await SettledEngineConnectionsAsync();
        for (var i = 0; i < 4; i++)
        {
            viewers.Add(ReadSomeAsync(Logs().StreamAsync(key, new LogQuery(Tail: 1), stop.Token), stop.Token));
        }

        await Eventually.GetAsync(() => Task.FromResult(feeds.Find(key)?.ViewerCount ?? 0), n => n == 5, TimeSpan.FromSeconds(10), "five viewers");
        var withFive = await SettledEngineConnectionsAsync();

        Assert.Equal(1, feeds.OpenStreams);
        Assert.Equal(withOne, withFive);

        await stop.CancelAsync();
        await Task.WhenAll(viewers);
        await Eventually.GetAsync(() => Task.FromResult(feeds.OpenStreams), n => n == 0, TimeSpan.FromSeconds(10), "the stream to stop");
        Assert.Equal(withOne - 1, await SettledEngineConnectionsAsync());
    }

    private static async Task ReadSomeAsync(IAsyncEnumerable<LogEntry> stream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in stream.WithCancellation(cancellationToken))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }

    /// <summary>The engine's open connections once short requests have let go of theirs (idle sockets close after 2 s).</summary>
    private static async Task<int> SettledEngineConnectionsAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return EngineConnections();
    }

    /// <summary>Connections the engine has open on its socket right now, as the kernel lists them.</summary>
    private static int EngineConnections()
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", ["-xp"]) { RedirectStandardOutput = true })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var socket = Path.Combine(TestRig.EngineDirectory, "docker.sock");
        return output.Split('\n').Count(l => l.Contains(socket, StringComparison.Ordinal) && l.Contains("dockerd", StringComparison.Ordinal) && l.Contains("ESTAB", StringComparison.Ordinal));
    }
}
