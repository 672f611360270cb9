using System.Collections.Concurrent;

namespace DockerDash.Streaming;

/// <summary>Places taken per key (a connection, a user) against a limit; thread-safe, with no entry left for a key that holds none.</summary>
public sealed class PlaceCounter
{
    private readonly ConcurrentDictionary<string, int> _taken = new();

    /// <summary>Takes one of <paramref name="key"/>'s places, or says false when it holds <paramref name="limit"/> already.</summary>
    public bool TryTake(string key, int limit)
    {
        while (true)
        {
            var current = _taken.GetOrAdd(key, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_taken.TryUpdate(key, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(string key)
    {
        while (_taken.TryGetValue(key, out var current))
        {
            if (current <= 1 ? _taken.TryRemove(new KeyValuePair<string, int>(key, current)) : _taken.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }

    public int Taken(string key) => _taken.TryGetValue(key, out var n) ? n : 0;
}
