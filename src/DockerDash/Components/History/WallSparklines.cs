using System.Data.Common;
using DockerDash.History;
using DockerDash.Operations;

namespace DockerDash.Components.History;

/// <summary>
/// A wall page's sparklines (each engine's and compose project's CPU over the last hour): one refresh per sample period
/// for every tile the page showed, instead of a component and a timer for each tile. A wall has dozens of tiles and
/// walls are left open by the hundred; the reads themselves are shared by all walls (<see cref="TileHistory"/>).
/// </summary>
public sealed class WallSparklines(HistoryService history, HistoryOptions options, TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly HashSet<(string Engine, string? Project)> _shown = [];
    private Dictionary<(string Engine, string? Project), IReadOnlyList<double>> _cpu = [];
    private HistoryRefresh? _refresh;

    /// <summary>The tile's CPU, empty until read (or when history is off or not the viewer's to see); call while rendering.</summary>
    public IReadOnlyList<double> Of(string engine, string? project)
    {
        _shown.Add((engine, project));
        return _cpu.GetValueOrDefault((engine, project)) ?? [];
    }

    /// <summary>
    /// Once the page is live: reads the tiles it showed, then again every sample period; <paramref name="changed"/> renders
    /// the page, only when some line changed. <paramref name="onDispatcher"/> is the page's <c>InvokeAsync</c>.
    /// </summary>
    public async Task StartAsync(Action changed, Func<Func<Task>, Task> onDispatcher)
    {
        if (!options.Enabled)
        {
            return;
        }

        async Task ReadAsync()
        {
            if (await ReadShownAsync())
            {
                changed();
            }
        }

        await ReadAsync();
        _refresh = HistoryRefresh.Start(options.Sample, time, () => onDispatcher(ReadAsync));
    }

    /// <returns>Whether any line changed (an unchanged line keeps its list, so its tile need not render again).</returns>
    private async Task<bool> ReadShownAsync()
    {
        var read = new Dictionary<(string Engine, string? Project), IReadOnlyList<double>>();
        var changed = false;
        foreach (var tile in _shown.ToList())
        {
            var cpu = await CpuAsync(tile.Engine, tile.Project);
            if (_cpu.TryGetValue(tile, out var before) && before.SequenceEqual(cpu))
            {
                cpu = before;
            }
            else
            {
                changed = true;
            }

            read[tile] = cpu;
        }

        _cpu = read;
        return changed;
    }

    private async Task<IReadOnlyList<double>> CpuAsync(string engine, string? project)
    {
        try
        {
            return await history.TileCpuAsync(engine, project, _cancel.Token);
        }
        catch (Exception e) when (e is OperationDeniedException or DbException)
        {
            // Not this viewer's to see, or the database is busy: no sparkline this time.
            return [];
        }
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _refresh?.Dispose();
        _cancel.Dispose();
    }
}
