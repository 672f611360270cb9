using System.Runtime;

namespace DockerDash.Hosting;

/// <summary>
/// Start-up (migrations, Razor and MudBlazor metadata, the first engine list) leaves garbage that a
/// small idle heap may never collect. Once the app has settled, one compacting collection hands that
/// memory back to the system, so a dashboard that mostly waits stays small.
/// </summary>
public sealed class StartupMemoryRelease(IHostApplicationLifetime lifetime, ILogger<StartupMemoryRelease> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        await Task.Delay(Settle, stoppingToken);
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogDebug("Released start-up memory: working set {Before} MB -> {After} MB", before >> 20, Environment.WorkingSet >> 20);
    }
}
