using System.Diagnostics;

namespace DockerDash.Testing;

/// <summary>How much this process's memory rose while something ran (the app under test runs in this process).</summary>
public static class MemoryProbe
{
    /// <summary>The most the working set rose above where it started while <paramref name="work"/> ran, sampled every 20 ms.</summary>
    public static async Task<long> PeakGrowthAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        try
        {
            await work();
        }
        finally
        {
            await done.CancelAsync();
            await sampler;
        }

        return peak - baseline;
    }
}
