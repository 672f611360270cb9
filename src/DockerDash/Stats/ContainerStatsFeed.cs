using System.Text.Json;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Streaming;

namespace DockerDash.Stats;

/// <summary>
/// The one engine stats stream of a running container (the engine samples once a second), shared by every viewer.
/// On Podman, its own stream (<see cref="PodmanStats"/>): the Docker-compatible one samples every 5 seconds.
/// </summary>
public sealed class ContainerStatsFeed(ContainerKey key, EngineConnection engine, ILogger logger)
    : SharedStream<StatsSample>(key, StatsFeeds.Linger, QueueCapacity)
{
    public const int QueueCapacity = 120;

    /// <summary>The newest sample, for a viewer that joins between two.</summary>
    public StatsSample? Latest { get; private set; }

    protected override TimeSpan RetryDelay => TimeSpan.FromSeconds(2);

    protected override async Task ReadOnceAsync(CancellationToken cancellationToken)
    {
        var http = engine.Http ?? throw new InvalidOperationException($"engine {engine.Name} is not connected");
        var podman = engine.State.IsPodman;
        var path = podman ? PodmanStats.PathFor(Key.Id) : new Uri($"containers/{Uri.EscapeDataString(Key.Id)}/stats?stream=1", UriKind.Relative);
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        StatsReading? previous = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var reading = podman ? PodmanStats.Parse(document.RootElement, previous) : StatsReading.Parse(document.RootElement);
            if (reading is null)
            {
                continue;
            }

            var first = reading.PreSystemCpu == 0;
            var sample = reading.ToSample(previous);
            previous = reading;

            // The engine's first document has no previous CPU reading: its 0 % would be a false figure.
            if (!first)
            {
                Latest = sample;
                Deliver(sample);
            }
        }
    }

    protected override void Ended(Exception reason) =>
        logger.LogDebug("Stats stream of {Container} on {Engine} ended: {Error}", Key.Id[..Math.Min(12, Key.Id.Length)], Key.Engine, reason.Message);
}

/// <summary>Every container's shared stats feed: at most one engine stats stream per container, stopped when nobody watches.</summary>
public sealed class StatsFeeds(EngineDirectory engines, ILogger<ContainerStatsFeed> logger)
{
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private readonly SharedStreams<StatsSample, ContainerStatsFeed> _feeds = new();

    public int OpenStreams => _feeds.OpenStreams;

    public ContainerStatsFeed? Find(ContainerKey key) => _feeds.Find(key);

    internal (ContainerStatsFeed Feed, SharedStream<StatsSample>.Viewer Viewer) Join(ContainerKey key) =>
        _feeds.Join(key, () => new ContainerStatsFeed(key, engines.Find(key.Engine) ?? throw new InvalidOperationException($"no engine {key.Engine}"), logger));
}
