using System.Text.Json;

namespace DockerDash.Stats;

/// <summary>One stats sample, as the hub sends it (about once a second); the byte totals since the container started come last.</summary>
public sealed record StatsSample(
    DateTimeOffset Time,
    double CpuPercent,
    long MemoryBytes,
    long MemoryLimitBytes,
    double NetRxBytesPerSec,
    double NetTxBytesPerSec,
    double BlockReadBytesPerSec,
    double BlockWriteBytesPerSec,
    long Pids,
    long NetRxBytes = 0,
    long NetTxBytes = 0,
    long BlockReadBytes = 0,
    long BlockWriteBytes = 0);

/// <summary>The counters of one raw <c>/stats</c> document that the sample is computed from.</summary>
public sealed record StatsReading(
    DateTimeOffset Read,
    ulong CpuTotal,
    ulong PreCpuTotal,
    ulong SystemCpu,
    ulong PreSystemCpu,
    uint OnlineCpus,
    long MemoryUsage,
    long MemoryInactiveFile,
    long MemoryLimit,
    long NetRx,
    long NetTx,
    long BlockRead,
    long BlockWrite,
    long Pids)
{
    /// <summary>Reads the counters of a stats document (cgroup v1 or v2).</summary>
    public static StatsReading Parse(JsonElement root)
    {
        var cpu = root.GetProperty("cpu_stats");
        var precpu = root.TryGetProperty("precpu_stats", out var p) ? p : default;
        var memory = root.TryGetProperty("memory_stats", out var m) ? m : default;
        var online = U32(cpu, "online_cpus");
        if (online == 0 && cpu.TryGetProperty("cpu_usage", out var usage) && usage.TryGetProperty("percpu_usage", out var perCpu) && perCpu.ValueKind == JsonValueKind.Array)
        {
            online = (uint)perCpu.GetArrayLength();
        }

        // cgroup v1 names the page cache total_inactive_file, v2 inactive_file: the docker CLI subtracts it from usage.
        var stats = memory.ValueKind == JsonValueKind.Object && memory.TryGetProperty("stats", out var s) ? s : default;
        var inactive = I64(stats, "total_inactive_file") is > 0 and var v1 ? v1 : I64(stats, "inactive_file");

        long rx = 0, tx = 0;
        if (root.TryGetProperty("networks", out var networks) && networks.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networks.EnumerateObject())
            {
                rx += I64(network.Value, "rx_bytes");
                tx += I64(network.Value, "tx_bytes");
            }
        }

        long read = 0, write = 0;
        if (root.TryGetProperty("blkio_stats", out var blkio) && blkio.TryGetProperty("io_service_bytes_recursive", out var io) && io.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in io.EnumerateArray())
            {
                var op = entry.TryGetProperty("op", out var o) ? o.GetString() : null;
                var value = I64(entry, "value");
                if (string.Equals(op, "read", StringComparison.OrdinalIgnoreCase))
                {
                    read += value;
                }
                else if (string.Equals(op, "write", StringComparison.OrdinalIgnoreCase))
                {
                    write += value;
                }
            }
        }

        return new StatsReading(
            root.TryGetProperty("read", out var r) && r.TryGetDateTimeOffset(out var time) ? time : DateTimeOffset.UtcNow,
            TotalUsage(cpu),
            precpu.ValueKind == JsonValueKind.Object ? TotalUsage(precpu) : 0,
            U64(cpu, "system_cpu_usage"),
            precpu.ValueKind == JsonValueKind.Object ? U64(precpu, "system_cpu_usage") : 0,
            online,
            I64(memory, "usage"),
            inactive,
            I64(memory, "limit"),
            rx,
            tx,
            read,
            write,
            root.TryGetProperty("pids_stats", out var pids) ? I64(pids, "current") : 0);
    }

    /// <summary>
    /// The sample the docker CLI would show: CPU from this document's own cpu/precpu pair
    /// (<c>cpuDelta / systemDelta * onlineCpus * 100</c>), memory without the inactive page cache, and
    /// rates from the previous reading.
    /// </summary>
    public StatsSample ToSample(StatsReading? previous)
    {
        var cpuDelta = (double)CpuTotal - PreCpuTotal;
        var systemDelta = (double)SystemCpu - PreSystemCpu;
        var cpuPercent = cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * Math.Max(1, OnlineCpus) * 100.0 : 0;
        var memory = MemoryInactiveFile < MemoryUsage ? MemoryUsage - MemoryInactiveFile : MemoryUsage;
        var seconds = previous is null ? 0 : (Read - previous.Read).TotalSeconds;
        double Rate(long now, long before) => seconds > 0 && now >= before ? (now - before) / seconds : 0;
        return new StatsSample(
            Read,
            Math.Round(cpuPercent, 2),
            memory,
            MemoryLimit,
            previous is null ? 0 : Rate(NetRx, previous.NetRx),
            previous is null ? 0 : Rate(NetTx, previous.NetTx),
            previous is null ? 0 : Rate(BlockRead, previous.BlockRead),
            previous is null ? 0 : Rate(BlockWrite, previous.BlockWrite),
            Pids,
            NetRx,
            NetTx,
            BlockRead,
            BlockWrite);
    }

    private static ulong TotalUsage(JsonElement cpu) => cpu.TryGetProperty("cpu_usage", out var usage) ? U64(usage, "total_usage") : 0;

    private static ulong U64(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetUInt64(out var n) ? n : 0;

    private static uint U32(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetUInt32(out var n) ? n : 0;

    private static long I64(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
}
