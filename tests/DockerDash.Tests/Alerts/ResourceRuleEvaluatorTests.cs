using DockerDash.Alerts;
using DockerDash.Containers;
using DockerDash.History;
using DockerDash.Stats;

namespace DockerDash.Tests.Alerts;

public sealed class ResourceRuleEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ContainerKey Web = new("local", "web-id");

    private static readonly AlertRule Cpu = new() { Id = 1, Name = "busy", Kind = AlertKind.CpuAbove, ThresholdPercent = 80, ForSeconds = 60 };
    private static readonly AlertRule Memory = new() { Id = 2, Name = "full", Kind = AlertKind.MemoryAbove, ThresholdPercent = 90, ForSeconds = 0, NamePattern = "web*" };

    private static ResourceReading Reading(double cpu, long memory = 100, string name = "web-1") =>
        new(Web, name, null, new StatsSample(Start, cpu, memory, 1000, 0, 0, 0, 0, 1));

    [Fact]
    public void Cpu_above_the_threshold_for_the_rules_time_fires_once_and_resolves_with_the_first_sample_below()
    {
        var evaluator = new ResourceRuleEvaluator();
        AlertRule[] rules = [Cpu];

        Assert.Empty(evaluator.Evaluate(Start, [Reading(95)], rules));
        Assert.Empty(evaluator.Evaluate(Start.AddSeconds(50), [Reading(99)], rules));
        var fired = Assert.Single(evaluator.Evaluate(Start.AddSeconds(60), [Reading(97)], rules));
        Assert.True(fired.Fires);
        Assert.Equal("CPU of web-1 on local has been above 80 % for 1 min (now 97 %)", fired.Message);
        Assert.Empty(evaluator.Evaluate(Start.AddSeconds(70), [Reading(98)], rules));

        var resolved = Assert.Single(evaluator.Evaluate(Start.AddSeconds(80), [Reading(12.5)], rules));
        Assert.False(resolved.Fires);
        Assert.Equal("CPU of web-1 on local is back to 12.5 % (above 80 % for 1 min 20 s, peak 99 %)", resolved.Message);
    }

    [Fact]
    public void A_dip_below_starts_the_time_again_and_a_short_spike_never_fires()
    {
        var evaluator = new ResourceRuleEvaluator();
        AlertRule[] rules = [Cpu];

        Assert.Empty(evaluator.Evaluate(Start, [Reading(95)], rules));
        Assert.Empty(evaluator.Evaluate(Start.AddSeconds(40), [Reading(10)], rules));
        Assert.Empty(evaluator.Evaluate(Start.AddSeconds(50), [Reading(95)], rules));
        Assert.Empty(evaluator.Evaluate(Start.AddSeconds(100), [Reading(95)], rules));
        Assert.Single(evaluator.Evaluate(Start.AddSeconds(110), [Reading(95)], rules));
    }

    [Fact]
    public void Memory_counts_against_the_limit_and_a_container_that_stops_being_sampled_resolves()
    {
        var evaluator = new ResourceRuleEvaluator();
        AlertRule[] rules = [Memory];

        Assert.Empty(evaluator.Evaluate(Start, [Reading(0, memory: 900)], rules));
        Assert.Empty(evaluator.Evaluate(Start, [Reading(0, memory: 950, name: "db")], rules));
        var fired = Assert.Single(evaluator.Evaluate(Start, [Reading(0, memory: 950)], rules));
        Assert.Equal("Memory of web-1 on local has been above 90 % for 0 s (now 95 %)", fired.Message);

        var resolved = Assert.Single(evaluator.Evaluate(Start.AddSeconds(30), [], rules));
        Assert.False(resolved.Fires);
        Assert.Contains("is no longer running or watched", resolved.Message, StringComparison.Ordinal);
    }
}
