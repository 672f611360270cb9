using System.Collections;
using DockerDash.Logs;

namespace DockerDash.Components.Logs;

/// <summary>One row of the log view: a line, or a note that lines were skipped because the view fell behind.</summary>
public sealed record LogRow(long Number, LogLine? Line, long Skipped, string? Container = null);

/// <summary>
/// The log view's bounded window: a ring buffer of the newest rows. When full, each new row
/// replaces the oldest (counted in <see cref="Dropped"/>); nothing is ever shifted.
/// </summary>
public sealed class LogWindow(int capacity) : ICollection<LogRow>, IReadOnlyList<LogRow>
{
    private readonly LogRow[] _rows = new LogRow[Math.Max(1, capacity)];
    private int _start;
    private long _next;

    public int Capacity => _rows.Length;

    public int Count { get; private set; }

    /// <summary>Rows pushed out of the window since it was cleared.</summary>
    public long Dropped { get; private set; }

    public bool IsReadOnly => true;

    public LogRow this[int index] => _rows[(_start + index) % _rows.Length];

    public void Add(LogEntry entry)
    {
        var row = new LogRow(_next++, entry.Line, entry.Skipped, entry.Container);
        if (Count < _rows.Length)
        {
            _rows[(_start + Count) % _rows.Length] = row;
            Count++;
            return;
        }

        _rows[_start] = row;
        _start = (_start + 1) % _rows.Length;
        Dropped++;
    }

    public void Clear()
    {
        Array.Clear(_rows);
        _start = 0;
        Count = 0;
        Dropped = 0;
    }

    public IEnumerator<LogRow> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<LogRow>.Add(LogRow item) => throw new NotSupportedException();

    public bool Contains(LogRow item) => this.Any(r => r == item);

    public void CopyTo(LogRow[] array, int arrayIndex)
    {
        for (var i = 0; i < Count; i++)
        {
            array[arrayIndex + i] = this[i];
        }
    }

    bool ICollection<LogRow>.Remove(LogRow item) => throw new NotSupportedException();
}
