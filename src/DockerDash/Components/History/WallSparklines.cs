using System.Data.Common;
using System.Runtime.CompilerServices;
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
    private Dictionary<(string Engine, string? Project), Line> _lines = [];
    private HistoryRefresh? _refresh;

    /// <summary>A tile's line: the values, the polyline's points and the tooltip, made once per read of the values and shared by every wall (the reads are).</summary>
    public sealed record Line(IReadOnlyList<double> Cpu, string Points, string Title)
    {
        private static readonly ConditionalWeakTable<IReadOnlyList<double>, Line> Drawn = [];

        public static Line Of(IReadOnlyList<double> cpu) => Drawn.GetValue(cpu, Draw);

        private static Line Draw(IReadOnlyList<double> cpu) =>
            new(cpu, Stats.Sparkline.PointsOf(cpu), $"CPU, last hour (peak {cpu.Max().ToString("0", System.Globalization.CultureInfo.InvariantCulture)} %)");
    }

    /// <summary>The tile's line; none until read, when history is off or empty, or not the viewer's to see. Call while rendering.</summary>
    public Line? Of(string engine, string? project)
    {
        _shown.Add((engine, project));
        return _lines.GetValueOrDefault((engine, project));
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

    /// <returns>Whether any line changed (an unchanged line is kept as it was).</returns>
    private async Task<bool> ReadShownAsync()
    {
        var read = new Dictionary<(string Engine, string? Project), Line>();
        var changed = false;
        foreach (var tile in _shown.ToList())
        {
            var cpu = await CpuAsync(tile.Engine, tile.Project);
            var before = _lines.GetValueOrDefault(tile);
            if (before is not null && before.Cpu.SequenceEqual(cpu))
            {
                read[tile] = before;
                continue;
            }

            changed |= before is not null || cpu.Count > 0;
            if (cpu.Count > 0)
            {
                read[tile] = Line.Of(cpu);
            }
        }

        _lines = read;
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
