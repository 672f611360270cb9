using DockerDash.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.History;

/// <summary>
/// Resource history in the app's database: raw samples, rolled up into averages per rollup period, each kept for its
/// time. Written by <see cref="HistoryRecorder"/> alone (one sample or compaction at a time); read by anyone.
/// </summary>
public sealed class HistoryStore(IDbContextFactory<DashboardDbContext> databases, IOptions<HistoryOptions> options)
{
    /// <summary>Series IDs by engine and container, as written; loaded on first use.</summary>
    private Dictionary<(string Engine, string ContainerId), HistorySeries>? _series;

    private HistoryOptions Options => options.Value;

    /// <summary>Stores one sample of every reading, and of each engine as a whole (the sums over its readings).</summary>
    public async Task AddAsync(DateTimeOffset at, IReadOnlyCollection<ResourceReading> readings, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var series = await SeriesAsync(db, cancellationToken);
        var seconds = at.ToUnixTimeSeconds();
        var points = new List<(HistorySeries Series, HistoryPoint Point)>();
        foreach (var engine in readings.GroupBy(r => r.Key.Engine, StringComparer.Ordinal))
        {
            foreach (var reading in engine)
            {
                var sample = reading.Sample;
                points.Add((Series(db, series, engine.Key, reading.Key.Id, reading.Name, reading.Project), new HistoryPoint
                {
                    At = seconds,
                    CpuPercent = sample.CpuPercent,
                    MemoryBytes = sample.MemoryBytes,
                    MemoryLimitBytes = sample.MemoryLimitBytes,
                    NetRxBytesPerSec = sample.NetRxBytesPerSec,
                    NetTxBytesPerSec = sample.NetTxBytesPerSec,
                }));
            }

            points.Add((Series(db, series, engine.Key, "", engine.Key, null), new HistoryPoint
            {
                At = seconds,
                CpuPercent = engine.Sum(r => r.Sample.CpuPercent),
                MemoryBytes = engine.Sum(r => r.Sample.MemoryBytes),
                NetRxBytesPerSec = engine.Sum(r => r.Sample.NetRxBytesPerSec),
                NetTxBytesPerSec = engine.Sum(r => r.Sample.NetTxBytesPerSec),
            }));
        }

        // New series get their IDs on this save, before their points are added.
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (s, point) in points)
        {
            point.SeriesId = s.Id;
            db.HistoryPoints.Add(point);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static HistorySeries Series(DashboardDbContext db, Dictionary<(string, string), HistorySeries> known, string engine, string containerId, string name, string? project)
    {
        if (known.TryGetValue((engine, containerId), out var series))
        {
            if (series.Name != name || series.Project != project)
            {
                (series.Name, series.Project) = (name, project);
                db.HistorySeries.Update(series);
            }

            return series;
        }

        series = new HistorySeries { Engine = engine, ContainerId = containerId, Name = name, Project = project };
        db.HistorySeries.Add(series);
        known[(engine, containerId)] = series;
        return series;
    }

    private async Task<Dictionary<(string Engine, string ContainerId), HistorySeries>> SeriesAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        _series ??= (await db.HistorySeries.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(s => (s.Engine, s.ContainerId));

    /// <summary>
    /// Rolls the raw samples of every rollup period that ended before <paramref name="now"/> (and is not rolled up yet) into
    /// one averaged point per series, then deletes what is older than its resolution is kept, and series left without points.
    /// </summary>
    public async Task CompactAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = (long)Options.Rollup.TotalSeconds;
        var end = now.ToUnixTimeSeconds() / period * period;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rolledUpTo = await db.HistoryPoints.Where(p => p.Resolution == HistoryResolution.Rollup).MaxAsync(p => (long?)p.At, cancellationToken);
        var start = rolledUpTo is { } last ? last + period : 0;
        var rollups = await db.HistoryPoints
            .Where(p => p.Resolution == HistoryResolution.Raw && p.At >= start && p.At < end)
            .GroupBy(p => new { p.SeriesId, Bucket = p.At / period })
            .Select(g => new HistoryPoint
            {
                SeriesId = g.Key.SeriesId,
                Resolution = HistoryResolution.Rollup,
                At = g.Key.Bucket * period,
                CpuPercent = g.Average(p => p.CpuPercent),
                MemoryBytes = (long)g.Average(p => (double)p.MemoryBytes),
                MemoryLimitBytes = g.Max(p => p.MemoryLimitBytes),
                NetRxBytesPerSec = g.Average(p => p.NetRxBytesPerSec),
                NetTxBytesPerSec = g.Average(p => p.NetTxBytesPerSec),
            })
            .ToListAsync(cancellationToken);
        db.HistoryPoints.AddRange(rollups);
        await db.SaveChangesAsync(cancellationToken);

        var rawBefore = (now - Options.Raw).ToUnixTimeSeconds();
        var rollupBefore = (now - Options.RollupKept).ToUnixTimeSeconds();
        await db.HistoryPoints.Where(p => p.Resolution == HistoryResolution.Raw && p.At < rawBefore).ExecuteDeleteAsync(cancellationToken);
        await db.HistoryPoints.Where(p => p.Resolution == HistoryResolution.Rollup && p.At < rollupBefore).ExecuteDeleteAsync(cancellationToken);
        if (await db.HistorySeries.Where(s => !db.HistoryPoints.Any(p => p.SeriesId == s.Id)).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            _series = null;
        }
    }

    /// <summary>
    /// A container's (or with an empty ID, the engine's) points in the window ending at <paramref name="now"/>, averaged
    /// into at most <paramref name="maxPoints"/> buckets: raw samples for windows the raw samples cover, rollups beyond.
    /// Empty when nothing was recorded.
    /// </summary>
    public async Task<IReadOnlyList<ResourcePoint>> PointsAsync(string engine, string containerId, HistoryWindow window, DateTimeOffset now, int maxPoints, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var ids = await db.HistorySeries.Where(s => s.Engine == engine && s.ContainerId == containerId).Select(s => s.Id).ToListAsync(cancellationToken);
        return await SummedAsync(db, ids, window, now, maxPoints, cancellationToken);
    }

    /// <summary>A compose project's containers together: per bucket, the sum of their averages.</summary>
    public async Task<IReadOnlyList<ResourcePoint>> ProjectPointsAsync(string engine, string project, HistoryWindow window, DateTimeOffset now, int maxPoints, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var ids = await db.HistorySeries.Where(s => s.Engine == engine && s.Project == project && s.ContainerId != "").Select(s => s.Id).ToListAsync(cancellationToken);
        return await SummedAsync(db, ids, window, now, maxPoints, cancellationToken);
    }

    private async Task<IReadOnlyList<ResourcePoint>> SummedAsync(DashboardDbContext db, List<int> ids, HistoryWindow window, DateTimeOffset now, int maxPoints, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var (resolution, from, bucket) = Span(window, now, maxPoints);
        var averages = await db.HistoryPoints
            .Where(p => ids.Contains(p.SeriesId) && p.Resolution == resolution && p.At >= from)
            .GroupBy(p => new { p.SeriesId, Bucket = p.At / bucket })
            .Select(g => new
            {
                g.Key.Bucket,
                Cpu = g.Average(p => p.CpuPercent),
                Memory = g.Average(p => (double)p.MemoryBytes),
                Limit = g.Max(p => p.MemoryLimitBytes),
                Rx = g.Average(p => p.NetRxBytesPerSec),
                Tx = g.Average(p => p.NetTxBytesPerSec),
            })
            .ToListAsync(cancellationToken);
        return [.. averages
            .GroupBy(a => a.Bucket)
            .OrderBy(g => g.Key)
            .Select(g => new ResourcePoint(
                DateTimeOffset.FromUnixTimeSeconds(g.Key * bucket), g.Sum(a => a.Cpu), (long)g.Sum(a => a.Memory), g.Sum(a => a.Limit), g.Sum(a => a.Rx), g.Sum(a => a.Tx)))];
    }

    /// <summary>
    /// The containers of the engines in <paramref name="engines"/> by their averages over the window (CPU, memory, and
    /// memory's peak), busiest CPU first.
    /// </summary>
    public async Task<IReadOnlyList<ResourceRank>> RankAsync(IReadOnlyCollection<string> engines, HistoryWindow window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var (resolution, from, _) = Span(window, now, 1);
        var series = await db.HistorySeries.AsNoTracking().Where(s => s.ContainerId != "" && engines.Contains(s.Engine)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var ids = series.Keys.ToList();
        var averages = await db.HistoryPoints
            .Where(p => ids.Contains(p.SeriesId) && p.Resolution == resolution && p.At >= from)
            .GroupBy(p => p.SeriesId)
            .Select(g => new { g.Key, Cpu = g.Average(p => p.CpuPercent), Memory = g.Average(p => (double)p.MemoryBytes), Peak = g.Max(p => p.MemoryBytes), Points = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. averages
            .Select(a => (Series: series[a.Key], Average: a))
            .Select(x => new ResourceRank(x.Series.Engine, x.Series.ContainerId, x.Series.Name, x.Series.Project, x.Average.Cpu, (long)x.Average.Memory, x.Average.Peak, x.Average.Points))
            .OrderByDescending(r => r.CpuPercent)];
    }

    /// <summary>The resolution that covers a window, where it starts, and the bucket (seconds) that keeps it under <paramref name="maxPoints"/>.</summary>
    private (HistoryResolution Resolution, long From, long Bucket) Span(HistoryWindow window, DateTimeOffset now, int maxPoints)
    {
        var length = HistoryWindows.Length(window);
        var raw = length <= Options.Raw;
        var step = (long)(raw ? Options.Sample : Options.Rollup).TotalSeconds;
        var bucket = Math.Max(step, (long)Math.Ceiling(length.TotalSeconds / Math.Max(1, maxPoints)) / step * step);
        return (raw ? HistoryResolution.Raw : HistoryResolution.Rollup, (now - length).ToUnixTimeSeconds(), bucket);
    }
}
