using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace DockerDash.Security.Tokens;

/// <summary>The hub connections opened with each token, so that revoking a token closes them at once.</summary>
public sealed class LiveTokenConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byToken = new();

    public LiveTokenConnections(TokenRevocations revocations)
    {
        revocations.TokenRevoked += CloseAll;
    }

    public int Count(string tokenId) => _byToken.TryGetValue(tokenId, out var connections) ? connections.Count : 0;

    public void Add(string tokenId, HubCallerContext connection) =>
        _byToken.GetOrAdd(tokenId, _ => new())[connection.ConnectionId] = connection;

    public void Remove(string tokenId, HubCallerContext connection)
    {
        if (_byToken.TryGetValue(tokenId, out var connections))
        {
            connections.TryRemove(connection.ConnectionId, out _);
        }
    }

    private void CloseAll(string tokenId)
    {
        if (_byToken.TryRemove(tokenId, out var connections))
        {
            foreach (var connection in connections.Values)
            {
                connection.Abort();
            }
        }
    }
}
