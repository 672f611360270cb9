namespace DockerDash.Events;

/// <summary>
/// The latest events, bounded: a ring of <see cref="Capacity"/> slots where the newest overwrites the
/// oldest (never a list that shifts). Not thread-safe: one page owns one history.
/// </summary>
public sealed class EventHistory(int capacity = EventHistory.DefaultCapacity)
{
    public const int DefaultCapacity = 1_000;

    private readonly EngineEvent[] _ring = new EngineEvent[capacity];
    private long _added;

    public int Capacity => _ring.Length;

    public int Count => (int)Math.Min(_added, _ring.Length);

    /// <summary>How many events were ever added, kept or not.</summary>
    public long Added => _added;

    public void Add(EngineEvent engineEvent) => _ring[_added++ % _ring.Length] = engineEvent;

    /// <summary>Newest first.</summary>
    public IEnumerable<EngineEvent> NewestFirst()
    {
        for (var i = _added - 1; i >= _added - Count; i--)
        {
            yield return _ring[i % _ring.Length];
        }
    }
}
