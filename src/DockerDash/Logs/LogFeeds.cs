using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Streaming;

namespace DockerDash.Logs;

/// <summary>Every container's shared log feed: at most one engine log stream per container.</summary>
public sealed class LogFeeds(EngineDirectory engines, ILogger<ContainerLogFeed> logger)
{
    /// <summary>How long a log stream stays open after its last viewer left (a page reload, a reconnecting client).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private readonly SharedStreams<IReadOnlyList<LogLine>, ContainerLogFeed> _feeds = new();

    public int OpenStreams => _feeds.OpenStreams;

    public ContainerLogFeed? Find(ContainerKey key) => _feeds.Find(key);

    /// <summary>
    /// Joins a container's feed. Every viewer gets every batch: filters run in each viewer's own reader,
    /// never in the shared one, so a costly filter slows only the viewer that asked for it.
    /// </summary>
    internal (ContainerLogFeed Feed, SharedStream<IReadOnlyList<LogLine>>.Viewer Viewer) Join(ContainerKey key, bool tty, long sinceNanos) =>
        _feeds.Join(key, () => new ContainerLogFeed(key, tty, sinceNanos, engines.Find(key.Engine) ?? throw new InvalidOperationException($"no engine {key.Engine}"), logger));
}
