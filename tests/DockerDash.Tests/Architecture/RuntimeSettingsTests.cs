using System.Text.Json;

namespace DockerDash.Tests.Architecture;

/// <summary>
/// The garbage collector's settings the server is built with, read from its runtimeconfig.json as built: a misspelt MSBuild
/// property is silently ignored (the server ran server GC for weeks that way), so the settings are checked where they land.
/// </summary>
public class RuntimeSettingsTests
{
    [Fact]
    public void The_server_runs_workstation_gc_conserving_memory_with_its_youngest_generation_capped()
    {
        var config = Path.Combine(AppContext.BaseDirectory, "DockerDash.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        Assert.Equal(16 * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt32());
    }
}
