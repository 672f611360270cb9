using System.Text.Json;
using DockerDash.Stats;

namespace DockerDash.Tests.Stats;

/// <summary>Podman's own stats stream read into the same sample as Docker's (issue 20).</summary>
public sealed class PodmanStatsTests
{
    // Two lines as Podman 4.3 sends them, one second apart; the container used half a CPU meanwhile and received 2,000 bytes.
    private const string First = """{"Error":null,"Stats":[{"AvgCPU":0.18,"ContainerID":"5dd5","Name":"t1","CPU":0.18,"CPUNano":65566261,"SystemNano":1796273862000000000,"MemUsage":516096,"MemLimit":25275953152,"NetInput":1000,"NetOutput":0,"BlockInput":4096,"BlockOutput":0,"PIDs":1}]}""";
    private const string Second = """{"Error":null,"Stats":[{"AvgCPU":0.18,"ContainerID":"5dd5","Name":"t1","CPU":50,"CPUNano":565566261,"SystemNano":1796273863000000000,"MemUsage":520192,"MemLimit":25275953152,"NetInput":3000,"NetOutput":500,"BlockInput":4096,"BlockOutput":8192,"PIDs":2}]}""";

    private static StatsReading? Read(string line, StatsReading? previous)
    {
        using var document = JsonDocument.Parse(line);
        return PodmanStats.Parse(document.RootElement, previous);
    }

    [Fact]
    public void Cpu_is_container_time_over_wall_time_and_rates_come_from_the_previous_line()
    {
        var first = Read(First, null)!;
        var second = Read(Second, first)!;

        var sample = second.ToSample(first);

        Assert.Equal(0UL, first.PreSystemCpu);
        Assert.Equal(50, sample.CpuPercent);
        Assert.Equal((520192L, 25275953152L, 2L), (sample.MemoryBytes, sample.MemoryLimitBytes, sample.Pids));
        Assert.Equal((2000.0, 500.0, 0.0, 8192.0), (sample.NetRxBytesPerSec, sample.NetTxBytesPerSec, sample.BlockReadBytesPerSec, sample.BlockWriteBytesPerSec));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796273863), sample.Time);
        Assert.Equal((3000L, 500L, 4096L, 8192L), (sample.NetRxBytes, sample.NetTxBytes, sample.BlockReadBytes, sample.BlockWriteBytes));
    }

    [Fact]
    public void A_line_without_a_sample_is_skipped_and_an_error_line_says_why()
    {
        Assert.Null(Read("""{"Error":null,"Stats":[]}""", null));
        Assert.Contains("no such container", Assert.Throws<InvalidOperationException>(() => Read("""{"Error":"no such container","Stats":null}""", null)).Message, StringComparison.Ordinal);
    }
}
