using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerDash.Testing;

/// <summary>
/// A direct client of the rig's engine, for arranging and checking what a test does through the
/// app. Everything it creates is labelled with the run and removed on dispose.
/// </summary>
public sealed class RigEngine : IAsyncDisposable
{
    /// <summary>What this instance made and has not removed yet (used from parallel creations, hence concurrent).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _created = new();

    /// <summary>The rig's Docker engine, or the engine at <paramref name="endpoint"/> (a unix socket: the rig's Podman).</summary>
    public RigEngine(string? endpoint = null)
    {
        endpoint ??= TestRig.EngineEndpoint;
        Client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).WithApiVersion(new System.Version(1, 41)).Build();
        Http = DockerDash.Engines.EngineHttpClientFactory.Create(new DockerDash.Engines.EngineEndpoint("rig", new Uri(endpoint), null), "1.41");
    }

    public IDockerClient Client { get; }

    /// <summary>The engine's API as plain HTTP (paths relative to <c>/v1.41/</c>), for comparing with what the app shows.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Creates (and by default starts) a busybox container running <paramref name="command"/>, with network none;
    /// <paramref name="interactive"/> keeps its stdin open (<c>docker run -i</c>).
    /// </summary>
    public async Task<string> RunAsync(string prefix, string[] command, bool start = true, IDictionary<string, string>? labels = null, bool tty = false, bool interactive = false)
    {
        var name = TestRig.UniqueName(prefix);
        var allLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [TestRig.RunLabel] = TestRig.RunId };
        var created = await Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = TestRig.Image,
            Cmd = command,
            Labels = allLabels,
            Tty = tty,
            OpenStdin = interactive,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        _created[created.ID] = true;
        if (start)
        {
            await Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        }

        return created.ID;
    }

    /// <summary>
    /// A container that sleeps until stopped, costing no CPU: one <c>sleep</c> the shell waits on (a wait that
    /// SIGTERM interrupts), so it exits at once on stop.
    /// </summary>
    public Task<string> RunSleeperAsync(string prefix, bool start = true, IDictionary<string, string>? labels = null) =>
        RunAsync(prefix, SleeperCommand, start, labels);

    /// <summary>The labels Compose v2 puts on a service's container (with <c>depends_on</c>), for projects made without Compose.</summary>
    public static Dictionary<string, string> ComposeLabels(string project, string service, string? dependsOn = null)
    {
        var labels = new Dictionary<string, string>
        {
            [DockerDash.Projects.ComposeLabels.Project] = project,
            [DockerDash.Projects.ComposeLabels.Service] = service,
            [DockerDash.Projects.ComposeLabels.Number] = "1",
        };
        if (dependsOn is not null)
        {
            labels[DockerDash.Projects.ComposeLabels.DependsOn] = dependsOn;
        }

        return labels;
    }

    /// <summary>The sleeper's command, for tests that create containers through the app.</summary>
    public static readonly string[] SleeperCommand = ["sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait"];

    /// <summary>Removes a container this client made now, rather than when the test class ends.</summary>
    public async Task RemoveAsync(string id)
    {
        _created.TryRemove(id, out _);
        await RemoveQuietlyAsync(id);
    }

    /// <summary>A sleeper removed when the returned handle is disposed: for tests that must not leave it running until the class ends.</summary>
    public async Task<RigContainer> SleeperAsync(string prefix, bool start = true)
    {
        var id = await RunSleeperAsync(prefix, start);
        return new(id, this, (await InspectAsync(id)).Name.TrimStart('/'));
    }

    public void Track(string id) => _created[id] = true;

    /// <summary>
    /// Makes a new image from the rig's test image with one Dockerfile-style <paramref name="change"/> (<c>LABEL version=2</c>),
    /// tags it <paramref name="reference"/> and pushes it to its registry; returns its image id and its digest there.
    /// </summary>
    public async Task<(string ImageId, string Digest)> PublishAsync(string reference, string change, AuthConfig? auth = null)
    {
        var source = await Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = TestRig.Image, Cmd = SleeperCommand, Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
        });
        var colon = reference.LastIndexOf(':');
        var (repository, tag) = (reference[..colon], reference[(colon + 1)..]);
        await Client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters { ContainerID = source.ID, RepositoryName = repository, Tag = tag, Changes = [change] });
        await RemoveQuietlyAsync(source.ID);
        string? error = null;
        await Client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth ?? new AuthConfig(), new Progress<JSONMessage>(m => error ??= m.Error?.Message));
        var image = await Client.Images.InspectImageAsync(reference);
        var digest = image.RepoDigests.FirstOrDefault(d => d.StartsWith(repository + "@", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"pushing {reference} failed: {error}");
        return (image.ID, digest[(digest.IndexOf('@', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>Removes images by id or reference (forced), quietly when one is gone already.</summary>
    public async Task RemoveImagesAsync(params string[] images)
    {
        foreach (var image in images.Distinct())
        {
            try
            {
                await Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Gone with another tag already.
            }
        }
    }

    public Task<ContainerInspectResponse> InspectAsync(string id) => Client.Containers.InspectContainerAsync(id);

    /// <summary>A (non-tty) container's standard output so far, as <c>docker logs</c> prints it.</summary>
    public async Task<string> LogsAsync(string id)
    {
        using var stream = await Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true }, CancellationToken.None);
        return (await stream.ReadOutputToEndAsync(CancellationToken.None)).stdout;
    }

    /// <summary>Kills the engine process with SIGKILL, as a crash would.</summary>
    public static void KillEngineHard()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(TestRig.EngineDirectory, "docker.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Process.GetProcessById(pid).Kill();
    }

    /// <summary>Starts the engine again with <c>tests/rig/engine.sh</c> and waits until it answers.</summary>
    public static async Task StartEngineAsync()
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(TestRig.RigScripts, "engine.sh"), ["start", TestRig.EngineDirectory])
        {
            RedirectStandardError = true,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("The rig engine did not start again: " + error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Several at once: the engine removes containers in parallel, and a class's dozen sleepers one by one took seconds.
        await Parallel.ForEachAsync(_created.Keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await RemoveQuietlyAsync(id));

        Client.Dispose();
        Http.Dispose();
    }

    private async Task RemoveQuietlyAsync(string id)
    {
            try
            {
                await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerContainerNotFoundException)
            {
                // The test removed it already.
            }
            catch (DockerApiException)
            {
                // Removal already in progress, or the engine is restarting: the run's engine is discarded anyway.
            }
            catch (HttpRequestException)
            {
                // The engine is down (a test stopped it): the run's engine is discarded anyway.
            }
    }
}

/// <summary>A container of the rig that is removed when disposed (<c>await using</c>).</summary>
public sealed class RigContainer(string id, RigEngine engine, string name = "") : IAsyncDisposable
{
    /// <summary>Its name, when made by <see cref="RigEngine.SleeperAsync"/>: what a recreated container keeps.</summary>
    public string Name { get; } = name;

    public string Id { get; } = id;

    public ValueTask DisposeAsync() => new(engine.RemoveAsync(Id));
}
