using System.Runtime.CompilerServices;
using DockerDash.Containers;

namespace DockerDash.Components.Pages.Containers;

public enum ContainerSort
{
    Name,
    Engine,
    Image,
    State,
    Created,
}

/// <summary>
/// The containers page's rows: applies the store's updates, and searches, filters and sorts them.
/// Pure state, so that the page's logic is tested without rendering.
/// </summary>
public sealed class ContainerListView
{
    public const string NoProject = "(no compose project)";

    private readonly Dictionary<ContainerKey, ContainerInfo> _rows = [];

    // Every row in the current order, and the states among them: kept until the rows or the order change, so that a
    // keystroke in the search only filters (10,000 rows: a sort is most of the work).
    private List<ContainerInfo>? _sorted;
    private IReadOnlyList<string>? _knownStates;
    private IReadOnlyList<ContainerInfo>? _visible;

    public string Search { get; private set; } = "";

    private bool _searchHasEquals;

    public IReadOnlySet<string> States { get; private set; } = new HashSet<string>();

    public IReadOnlySet<string> Engines { get; private set; } = new HashSet<string>();

    public ContainerSort Sort { get; private set; } = ContainerSort.Name;

    /// <summary>When set, only these containers show (<c>?updates=available</c>: those with an update).</summary>
    public IReadOnlySet<ContainerKey>? Only { get; private set; }

    public bool Descending { get; private set; }

    public int Count => _rows.Count;

    public ContainerInfo? Find(ContainerKey key) => _rows.GetValueOrDefault(key);

    /// <summary>The rows that pass the search and filters, sorted.</summary>
    public IReadOnlyList<ContainerInfo> Visible => _visible ??= [.. Sorted.Where(Matches)];

    public IReadOnlyList<string> KnownStates => _knownStates ??= [.. _rows.Values.Select(c => c.State).Distinct().Order(StringComparer.Ordinal)];

    private List<ContainerInfo> Sorted => _sorted ??= SortAll();

    public void Reset(IEnumerable<ContainerInfo> containers)
    {
        _rows.Clear();
        foreach (var container in containers)
        {
            _rows[container.Key] = container;
        }

        RowsChanged();
    }

    public void Apply(ContainerUpdate update)
    {
        if (update.Reset is { } reset)
        {
            Reset(reset);
        }

        foreach (var change in update.Changes)
        {
            if (change.Kind == ContainerChangeKind.Removed)
            {
                _rows.Remove(change.Key);
            }
            else if (change.Container is { } container)
            {
                _rows[change.Key] = container;
            }
        }

        RowsChanged();
    }

    private void RowsChanged()
    {
        _sorted = null;
        _knownStates = null;
        _visible = null;
    }

    public void SetSearch(string? text)
    {
        Search = text?.Trim() ?? "";
        _searchHasEquals = Search.Contains('=');
        _visible = null;
    }

    public void SetStates(IEnumerable<string> states)
    {
        States = states.ToHashSet(StringComparer.Ordinal);
        _visible = null;
    }

    public void SetEngines(IEnumerable<string> engines)
    {
        Engines = engines.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _visible = null;
    }

    public void SetOnly(IEnumerable<ContainerKey>? keys)
    {
        Only = keys?.ToHashSet();
        _visible = null;
    }

    /// <summary>Sorts by <paramref name="sort"/>; choosing the current column again reverses the order.</summary>
    public void SortBy(ContainerSort sort)
    {
        Descending = sort == Sort && !Descending;
        Sort = sort;
        _sorted = null;
        _visible = null;
    }

    public static string ProjectOf(ContainerInfo container) => container.ComposeProject ?? NoProject;

    // The search's methods run 10,000 times a keystroke from the first one on: compiled optimized at once, the small ones
    // inlined into them, rather than first as the JIT's quick unoptimized code (bench/results/scale.md, "z" keystrokes
    // after a start: first four 117, 86, 115, 83 ms before; 103, 71, 69, 66 ms with it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(ContainerInfo c)
    {
        if (Only is not null && !Only.Contains(c.Key))
        {
            return false;
        }

        if (States.Count > 0 && !States.Contains(c.State))
        {
            return false;
        }

        if (Engines.Count > 0 && !Engines.Contains(c.Engine))
        {
            return false;
        }

        if (Search.Length == 0)
        {
            return true;
        }

        return Contains(c.Name) || Contains(c.Image) || c.Id.StartsWith(Search, StringComparison.OrdinalIgnoreCase) || LabelsMatch(c.Labels);
    }

    /// <summary>A label's key or value, or with an <c>=</c> in the search its <c>key=value</c>: no allocation per row (10,000 rows a keystroke).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool LabelsMatch(IReadOnlyDictionary<string, string> labels)
    {
        if (labels is not Dictionary<string, string> dictionary)
        {
            return labels.Any(l => LabelMatches(l.Key, l.Value));
        }

        foreach (var (key, value) in dictionary)
        {
            if (LabelMatches(key, value))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool LabelMatches(string key, string value) =>
        Contains(key) || Contains(value) || (_searchHasEquals && KeyValueContains(key, value));

    /// <summary>Whether <c>key=value</c> contains the search, without building that string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool KeyValueContains(string key, string value)
    {
        Span<char> pair = key.Length + value.Length < 256 ? stackalloc char[key.Length + value.Length + 1] : new char[key.Length + value.Length + 1];
        key.CopyTo(pair);
        pair[key.Length] = '=';
        value.CopyTo(pair[(key.Length + 1)..]);
        return pair.IndexOf(Search, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Contains(string text) => text.Contains(Search, StringComparison.OrdinalIgnoreCase);

    private List<ContainerInfo> SortAll()
    {
        var rows = _rows.Values.ToList();
        rows.Sort(Order());
        return rows;
    }

    /// <summary>The chosen column (text without regard to case), then name and engine so that equal keys keep one order.</summary>
    private Comparison<ContainerInfo> Order()
    {
        Comparison<ContainerInfo> column = Sort switch
        {
            ContainerSort.Engine => (a, b) => Text(a.Engine, b.Engine),
            ContainerSort.Image => (a, b) => Text(a.Image, b.Image),
            ContainerSort.State => (a, b) => Text(a.State, b.State),
            ContainerSort.Created => (a, b) => a.Created.CompareTo(b.Created),
            _ => (a, b) => Text(a.Name, b.Name),
        };
        var sign = Descending ? -1 : 1;
        return (a, b) =>
        {
            var order = sign * column(a, b);
            if (order == 0)
            {
                order = string.CompareOrdinal(a.Name, b.Name);
            }

            return order != 0 ? order : string.CompareOrdinal(a.Engine, b.Engine);
        };
    }

    private static int Text(string a, string b)
    {
        var order = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return order != 0 ? order : string.CompareOrdinal(a, b);
    }
}
