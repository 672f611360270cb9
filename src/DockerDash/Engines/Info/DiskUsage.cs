using System.Text.Json;

namespace DockerDash.Engines.Info;

/// <summary>One kind of thing an engine keeps on disk: how many, their size, and what a prune would give back.</summary>
public sealed record DiskUsageKind(string Kind, int Count, long Size, int ReclaimableCount, long Reclaimable);

/// <summary>
/// An engine's disk usage from <c>GET /system/df</c> (the shape of API 1.41 to 1.51): images (unused ones reclaimable),
/// containers (the writable layers of stopped ones), volumes (unused ones) and build cache (what nothing uses).
/// </summary>
public sealed record DiskUsage(IReadOnlyList<DiskUsageKind> Kinds)
{
    public long Total => Kinds.Sum(k => k.Size);

    public long Reclaimable => Kinds.Sum(k => k.Reclaimable);

    public static DiskUsage Parse(JsonElement df)
    {
        var images = df.Items("Images");
        var containers = df.Items("Containers");
        var volumes = df.Items("Volumes");
        var cache = df.Items("BuildCache");
        var unusedImages = images.Where(i => i.Long("Containers") == 0).ToList();
        var stopped = containers.Where(c => c.Text("State") is not ("running" or "paused" or "restarting")).ToList();
        var unusedVolumes = volumes.Where(v => v.TryGetProperty("UsageData", out var u) && u.Long("RefCount") == 0).ToList();
        var unusedCache = cache.Where(c => !c.Flag("InUse") && !c.Flag("Shared")).ToList();
        return new DiskUsage(
        [
            new("images", images.Count, df.TryGetProperty("LayersSize", out var layers) && layers.TryGetInt64(out var l) ? l : images.Sum(i => i.Long("Size")),
                unusedImages.Count, unusedImages.Sum(i => Math.Max(0, i.Long("Size") - Math.Max(0, i.Long("SharedSize"))))),
            new("containers", containers.Count, containers.Sum(c => c.Long("SizeRw")), stopped.Count, stopped.Sum(c => c.Long("SizeRw"))),
            new("volumes", volumes.Count, volumes.Sum(VolumeSize), unusedVolumes.Count, unusedVolumes.Sum(VolumeSize)),
            new("build cache", cache.Count, cache.Sum(c => c.Long("Size")), unusedCache.Count, unusedCache.Sum(c => c.Long("Size"))),
        ]);
    }

    private static long VolumeSize(JsonElement v) => v.TryGetProperty("UsageData", out var u) ? Math.Max(0, u.Long("Size")) : 0;
}
