using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DockerDash.History;

/// <summary>
/// The wall's sparklines: each engine's or compose project's CPU over the last hour, read from the database at most once
/// per sample period however many walls show it.
/// </summary>
public sealed class TileHistory(HistoryStore store, IOptions<HistoryOptions> options, TimeProvider time)
{
    /// <summary>Points in a sparkline: one a minute.</summary>
    public const int Points = 60;

    private readonly ConcurrentDictionary<(string Engine, string? Project), (DateTimeOffset At, IReadOnlyList<double> Cpu)> _read = new();

    public async Task<IReadOnlyList<double>> CpuLastHourAsync(string engine, string? project, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_read.TryGetValue((engine, project), out var read) && now - read.At < options.Value.Sample)
        {
            return read.Cpu;
        }

        var points = project is null
            ? await store.PointsAsync(engine, "", HistoryWindow.Hour, now, Points, cancellationToken)
            : await store.ProjectPointsAsync(engine, project, HistoryWindow.Hour, now, Points, cancellationToken);
        IReadOnlyList<double> cpu = [.. points.Select(p => p.CpuPercent)];
        _read[(engine, project)] = (now, cpu);
        return cpu;
    }
}
