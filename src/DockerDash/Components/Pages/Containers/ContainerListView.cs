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
    private IReadOnlyList<ContainerInfo>? _visible;

    public string Search { get; private set; } = "";

    public IReadOnlySet<string> States { get; private set; } = new HashSet<string>();

    public IReadOnlySet<string> Engines { get; private set; } = new HashSet<string>();

    public ContainerSort Sort { get; private set; } = ContainerSort.Name;

    /// <summary>When set, only these containers show (<c>?updates=available</c>: those with an update).</summary>
    public IReadOnlySet<ContainerKey>? Only { get; private set; }

    public bool Descending { get; private set; }

    public int Count => _rows.Count;

    public ContainerInfo? Find(ContainerKey key) => _rows.GetValueOrDefault(key);

    /// <summary>The rows that pass the search and filters, sorted.</summary>
    public IReadOnlyList<ContainerInfo> Visible => _visible ??= Compute();

    public IReadOnlyList<string> KnownStates => _rows.Values.Select(c => c.State).Distinct().Order(StringComparer.Ordinal).ToList();

    public void Reset(IEnumerable<ContainerInfo> containers)
    {
        _rows.Clear();
        foreach (var container in containers)
        {
            _rows[container.Key] = container;
        }

        _visible = null;
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

        _visible = null;
    }

    public void SetSearch(string? text)
    {
        Search = text?.Trim() ?? "";
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
        _visible = null;
    }

    public static string ProjectOf(ContainerInfo container) => container.ComposeProject ?? NoProject;

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

        return Contains(c.Name) || Contains(c.Image) || c.Id.StartsWith(Search, StringComparison.OrdinalIgnoreCase)
            || c.Labels.Any(l => Contains(l.Key) || Contains(l.Value) || Contains($"{l.Key}={l.Value}"));
    }

    private bool Contains(string text) => text.Contains(Search, StringComparison.OrdinalIgnoreCase);

    private List<ContainerInfo> Compute()
    {
        var rows = _rows.Values.Where(Matches);
        Func<ContainerInfo, IComparable> key = Sort switch
        {
            ContainerSort.Engine => c => c.Engine,
            ContainerSort.Image => c => c.Image,
            ContainerSort.State => c => c.State,
            ContainerSort.Created => c => c.Created,
            _ => c => c.Name,
        };
        var sorted = Descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return sorted.ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Engine, StringComparer.Ordinal).ToList();
    }
}
