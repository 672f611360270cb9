using System.Text.Json;
using DockerDash.Stats;

namespace DockerDash.Tests.Stats;

/// <summary>The docker CLI's formulas on stats documents as engines send them (cgroup v1 and v2).</summary>
public class StatsFormulaTests
{
    // Recorded from a cgroup v1 engine (trimmed to the fields that count), one second after the previous.
    private const string CgroupV1 = """
    {"read":"2026-11-27T14:00:01.000000000Z","preread":"2026-11-27T14:00:00.000000000Z",
     "pids_stats":{"current":7},
     "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":4096000},{"major":8,"minor":0,"op":"Write","value":2048000},{"major":8,"minor":0,"op":"Total","value":6144000}]},
     "cpu_stats":{"cpu_usage":{"total_usage":2500000000,"percpu_usage":[1250000000,1250000000]},"system_cpu_usage":20000000000,"online_cpus":2},
     "precpu_stats":{"cpu_usage":{"total_usage":2000000000,"percpu_usage":[1000000000,1000000000]},"system_cpu_usage":18000000000,"online_cpus":2},
     "memory_stats":{"usage":104857600,"limit":1073741824,"stats":{"total_inactive_file":20971520,"inactive_file":1}},
     "networks":{"eth0":{"rx_bytes":3000,"tx_bytes":1000},"eth1":{"rx_bytes":2000,"tx_bytes":500}}}
    """;

    // Recorded from a cgroup v2 engine: no percpu_usage, inactive_file instead of total_inactive_file, lowercase blkio ops.
    private const string CgroupV2 = """
    {"read":"2026-11-27T14:00:02.000000000Z",
     "pids_stats":{"current":3},
     "blkio_stats":{"io_service_bytes_recursive":[{"major":254,"minor":0,"op":"read","value":8192000},{"major":254,"minor":0,"op":"write","value":0}]},
     "cpu_stats":{"cpu_usage":{"total_usage":900000000},"system_cpu_usage":104000000000,"online_cpus":4},
     "precpu_stats":{"cpu_usage":{"total_usage":500000000},"system_cpu_usage":100000000000,"online_cpus":4},
     "memory_stats":{"usage":52428800,"limit":2147483648,"stats":{"inactive_file":10485760,"anon":41943040}},
     "networks":{"eth0":{"rx_bytes":10000,"tx_bytes":4000}}}
    """;

    private static StatsReading Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return StatsReading.Parse(document.RootElement);
    }

    [Fact]
    public void Cgroup_v1_cpu_uses_online_cpus_and_memory_leaves_out_the_inactive_file_cache()
    {
        var sample = Read(CgroupV1).ToSample(previous: null);

        // (2.5 - 2.0) / (20 - 18) * 2 cpus * 100
        Assert.Equal(50.0, sample.CpuPercent);
        Assert.Equal(104857600 - 20971520, sample.MemoryBytes);
        Assert.Equal(1073741824, sample.MemoryLimitBytes);
        Assert.Equal(7, sample.Pids);
    }

    [Fact]
    public void Cgroup_v2_uses_inactive_file()
    {
        var sample = Read(CgroupV2).ToSample(previous: null);

        // (0.9 - 0.5) / (104 - 100) * 4 cpus * 100
        Assert.Equal(40.0, sample.CpuPercent);
        Assert.Equal(52428800 - 10485760, sample.MemoryBytes);
    }

    [Fact]
    public void Rates_come_from_the_previous_reading()
    {
        var previous = Read(CgroupV1);

        var sample = Read(CgroupV2).ToSample(previous);

        // One second apart: network 10,000 - 5,000 received, 4,000 - 1,500 sent; disk 8,192,000 - 4,096,000 read.
        Assert.Equal(5000, sample.NetRxBytesPerSec);
        Assert.Equal(2500, sample.NetTxBytesPerSec);
        Assert.Equal(4096000, sample.BlockReadBytesPerSec);
        Assert.Equal(0, sample.BlockWriteBytesPerSec);
    }

    [Fact]
    public void Without_online_cpus_the_per_cpu_list_counts_them()
    {
        var json = CgroupV1.Replace("\"online_cpus\":2", "\"online_cpus\":0", StringComparison.Ordinal);

        Assert.Equal(50.0, Read(json).ToSample(null).CpuPercent);
    }

    [Fact]
    public void A_first_sample_with_no_precpu_reports_zero_not_nonsense()
    {
        var json = CgroupV2.Replace("\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":500000000},\"system_cpu_usage\":100000000000,\"online_cpus\":4}", "\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":0}}", StringComparison.Ordinal);

        var sample = Read(json).ToSample(null);

        Assert.InRange(sample.CpuPercent, 0, 400);
    }
}
