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

    internal (ContainerLogFeed Feed, SharedStream<IReadOnlyList<LogLine>>.Viewer Viewer) Join(ContainerKey key, bool tty, Func<LogLine, bool>? filter, long sinceNanos) =>
        _feeds.Join(key, () => new ContainerLogFeed(key, tty, sinceNanos, engines.Find(key.Engine) ?? throw new InvalidOperationException($"no engine {key.Engine}"), logger), Matching(filter));

    /// <summary>A viewer's share of each batch: the lines its filter keeps (none: nothing queued).</summary>
    private static Func<IReadOnlyList<LogLine>, IReadOnlyList<LogLine>?>? Matching(Func<LogLine, bool>? filter) =>
        filter is null ? null : batch => batch.Where(filter).ToArray() is { Length: > 0 } kept ? kept : null;
}
