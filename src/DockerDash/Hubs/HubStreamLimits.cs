using DockerDash.Operations;
using DockerDash.Streaming;
using Microsoft.Extensions.Options;

namespace DockerDash.Hubs;

/// <summary><c>DockerDash:Streams</c>: how many live streams (events, logs, stats) one hub connection and one user may hold open.</summary>
public sealed class HubStreamOptions
{
    public const string SectionName = "DockerDash:Streams";

    public int PerConnection { get; set; } = 20;

    public int PerUser { get; set; } = 50;
}

/// <summary>
/// Counts the live hub streams per connection and per user, so that one client cannot open streams without
/// end; the one over a limit is refused with a sentence that says which limit.
/// </summary>
public sealed class HubStreamLimits(IOptions<HubStreamOptions> options)
{
    private readonly PlaceCounter _open = new();

    /// <summary>Takes a place for one stream, or throws; dispose the lease when the stream ends.</summary>
    public IDisposable Open(string connectionId, string userKey)
    {
        var connection = "connection:" + connectionId;
        var user = "user:" + userKey;
        if (!_open.TryTake(connection, options.Value.PerConnection))
        {
            throw new OperationFailedException(
                $"This connection has {options.Value.PerConnection} live streams open, the most allowed (DockerDash:Streams:PerConnection): close one first.", OperationFailure.Invalid);
        }

        if (!_open.TryTake(user, options.Value.PerUser))
        {
            _open.Release(connection);
            throw new OperationFailedException(
                $"You have {options.Value.PerUser} live streams open, the most allowed per user (DockerDash:Streams:PerUser): close one first.", OperationFailure.Invalid);
        }

        return new Lease(this, connection, user);
    }

    public int OpenFor(string connectionId) => _open.Taken("connection:" + connectionId);

    private sealed class Lease(HubStreamLimits limits, string connection, string user) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limits._open.Release(connection);
                limits._open.Release(user);
            }
        }
    }
}
