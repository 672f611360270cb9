using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Engines.Info;
using DockerDash.Files;
using DockerDash.Images;
using DockerDash.Jobs;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Transports;

/// <summary>A way to reach the rig's engine other than its unix socket: the settings that add it as engine <c>remote</c>.</summary>
public interface IEngineTransport
{
    static abstract string[] Settings { get; }

    /// <summary>What DockerDash should call it.</summary>
    static abstract EngineTransport Transport { get; }

    /// <summary>What answers there: Docker, or Podman's Docker-compatible API.</summary>
    static virtual string Product => EngineProducts.Docker;

    /// <summary>Where the tests make their containers directly: the engine that <c>remote</c> reaches.</summary>
    static virtual string DirectEndpoint => TestRig.EngineEndpoint;
}

/// <summary>One DockerDash per transport, with the rig's engine as <c>rig</c> (direct) and as <c>remote</c> (through the transport).</summary>
public sealed class RemoteEngineFixture<TTransport> : IAsyncLifetime
    where TTransport : IEngineTransport
{
    public DashboardApp App { get; private set; } = default!;

    public RigEngine Engine { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Engine = new RigEngine(TTransport.DirectEndpoint);
        App = await DashboardApp.StartAsync(TTransport.Settings);
        await App.WaitForEngineAsync(RemoteEngineSuite<TTransport>.Remote, EngineStatus.Up);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>
/// What DockerDash does with an engine, done through one transport (issue 20): the list and live events, logs
/// resumed after a position, stats, a file uploaded, and a command run over a taken-over connection (as consoles do).
/// The containers are made on the engine's own socket and read through the transport.
/// </summary>
public abstract class RemoteEngineSuite<TTransport>(RemoteEngineFixture<TTransport> fixture) : IClassFixture<RemoteEngineFixture<TTransport>>
    where TTransport : IEngineTransport
{
    public const string Remote = "remote";

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    protected RemoteEngineFixture<TTransport> Fixture => fixture;

    [Fact]
    public async Task Healthz_and_the_engine_page_name_the_transport_and_product_and_the_security_notes_judge_by_it()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var engines = fixture.App.As<EngineService>();

        var remote = health.RootElement.GetProperty("engines").EnumerateArray().Single(e => e.GetProperty("name").GetString() == Remote);
        Assert.Equal(EngineTransports.Code(TTransport.Transport), remote.GetProperty("transport").GetString());
        var facts = await engines.FactsAsync(Remote);
        Assert.Equal(EngineTransports.Describe(TTransport.Transport), facts.Transport);
        Assert.Equal(TTransport.Product, facts.Product);
        Assert.All(SecurityNotes.Check(facts, engines.TransportOf(Remote)!.Value).Where(c => c.Note is 2 or 3), c => Assert.NotEqual(SecurityVerdict.Warning, c.Verdict));
    }

    [Fact]
    public async Task The_list_and_live_events_come_through()
    {
        var id = await fixture.Engine.RunSleeperAsync("transport-events", start: false);

        await fixture.App.Get<ContainerStore>().WaitForAsync(c => c.Key == new ContainerKey(Remote, id) && c.State != "running", Patience, "the created container, through the transport");
        await fixture.Engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());
        await fixture.App.Get<ContainerStore>().WaitForAsync(c => c.Key == new ContainerKey(Remote, id) && c.State == "running", Patience, "its start, through the transport");
        await fixture.Engine.RemoveAsync(id);
        await fixture.App.Get<ContainerStore>().WaitUntilGoneAsync(Remote, id, Patience);
    }

    [Fact]
    public async Task Logs_resume_after_a_position_without_gap_or_duplicate()
    {
        var id = await fixture.Engine.RunAsync("transport-logs", ["sh", "-c", "for i in 1 2 3 4 5; do echo \"n $i\"; done; sleep 3600"]);
        var key = new ContainerKey(Remote, id);

        var all = await ReadLogAsync(key, new LogQuery(Tail: 100), 5);
        var resumed = await ReadLogAsync(key, new LogQuery(Tail: 100, After: all[1].Position), 3);

        Assert.Equal(["n 1", "n 2", "n 3", "n 4", "n 5"], all.Select(l => l.Text));
        Assert.Equal(["n 3", "n 4", "n 5"], resumed.Select(l => l.Text));
    }

    [Fact]
    public async Task Stats_arrive_for_a_running_container()
    {
        var id = await fixture.Engine.RunSleeperAsync("transport-stats");
        using var stop = new CancellationTokenSource(Patience);

        var samples = new List<StatsSample>();
        await foreach (var sample in fixture.App.As<StatsService>().StreamAsync(new ContainerKey(Remote, id), stop.Token))
        {
            samples.Add(sample);
            if (samples.Count == 2)
            {
                break;
            }
        }

        Assert.All(samples, s => Assert.True(s.MemoryBytes > 0, "memory in use"));
        // The engine's own sample times: one a second (Podman's compatible endpoint alone would give one in five).
        Assert.InRange((samples[1].Time - samples[0].Time).TotalSeconds, 0.5, 2.5);
    }

    [Fact]
    public async Task A_file_uploaded_through_the_transport_is_in_the_container()
    {
        var id = await fixture.Engine.RunSleeperAsync("transport-files");
        var content = Encoding.UTF8.GetBytes("through the transport\n");
        var files = fixture.App.As<ContainerFiles>();

        using (var upload = new MemoryStream(content))
        {
            await files.UploadAsync(Remote, id, "/etc", "note.txt", content.Length, upload, maxBytes: 1 << 20);
        }

        var listing = await files.ListAsync(Remote, id, "/etc");
        Assert.Equal(content.Length, Assert.Single(listing.Entries, e => e.Name == "note.txt").Size);
    }

    [Fact]
    public async Task A_command_runs_over_a_taken_over_connection_as_consoles_do()
    {
        var id = await fixture.Engine.RunSleeperAsync("transport-exec");
        var client = fixture.App.Get<EngineDirectory>().Find(Remote)!.Client!;

        var exec = await client.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters
        {
            Cmd = ["sh", "-c", "read line; echo \"got $line\""],
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
        });
        using var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters());
        var input = Encoding.UTF8.GetBytes("typed\n");
        await stream.WriteAsync(input, 0, input.Length, CancellationToken.None);
        stream.CloseWrite();
        using var timeout = new CancellationTokenSource(Patience);
        var (stdout, _) = await stream.ReadOutputToEndAsync(timeout.Token);

        Assert.Equal("got typed\n", stdout);
    }

    [Fact]
    public async Task An_image_pushed_to_the_registry_is_removed_and_pulled_back()
    {
        var images = fixture.App.As<ImageService>();
        var reference = $"{TestRig.Registry}/dockerdash/transport-{TTransport.Transport.ToString().ToLowerInvariant()}-{TestRig.RunId}:1";
        await images.TagAsync(Remote, TestRig.Image, reference);
        try
        {
            var push = images.StartPush(Remote, reference);
            await push.Completion.WaitAsync(Patience);
            Assert.True(push.State == JobState.Succeeded, push.Outcome);

            await images.RemoveAsync(Remote, reference, force: false, keepParents: false);
            Assert.DoesNotContain(await images.ListAsync(Remote), i => i.Tags.Contains(reference));
            var pull = images.StartPull(Remote, reference);
            await pull.Completion.WaitAsync(Patience);
            Assert.True(pull.State == JobState.Succeeded, pull.Outcome);

            Assert.Equal((await images.InspectAsync(Remote, TestRig.Image)).Image.Id, (await images.InspectAsync(Remote, reference)).Image.Id);
        }
        finally
        {
            await fixture.Engine.RemoveImagesAsync(reference);
        }
    }

    private async Task<List<LogLine>> ReadLogAsync(ContainerKey key, LogQuery query, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var lines = new List<LogLine>();
        await foreach (var entry in fixture.App.As<LogService>().StreamAsync(key, query, timeout.Token))
        {
            lines.Add(entry.Line ?? throw new InvalidOperationException($"skipped {entry.Skipped}"));
            if (lines.Count == count)
            {
                break;
            }
        }

        return lines;
    }
}
