using DockerDash.Replicas;
using DockerDash.Registries;
using Microsoft.Extensions.Options;

namespace DockerDash.Updates;

/// <summary>
/// Runs the update check on its own: every <see cref="UpdateOptions.Interval"/> (jittered by up to a tenth either way,
/// so that many DockerDash installations do not ask a registry at the same moment; the first a couple of minutes after
/// start), and for the containers of a tag as soon as DockerDash pushed or copied it.
/// </summary>
public sealed class UpdateSchedule(UpdateChecker checker, TagChanges changes, ReplicaLease lease, IOptions<UpdateOptions> options, TimeProvider time, ILogger<UpdateSchedule> logger) : BackgroundService
{
    private static readonly TimeSpan FirstCheck = TimeSpan.FromMinutes(2);

    public static TimeSpan Jittered(TimeSpan interval, double random) => interval * (0.9 + (0.2 * random));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lease.WaitAsync(stoppingToken);
        changes.TagChanged += reference => _ = RecheckAsync(reference, stoppingToken);
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var wait = interval < FirstCheck ? interval : FirstCheck;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Jittered(wait, Random.Shared.NextDouble()), time, stoppingToken);
            try
            {
                var result = await checker.CheckAsync(UpdateChecker.Scheduler, UpdateScope.Everything, stoppingToken);
                logger.LogInformation("Update check: {Available} of {Checked} containers have an update{Unreachable}", result.States.Count(s => s.IsAvailable), result.States.Count,
                    result.Unreachable.Count == 0 ? "" : "; not checked: " + string.Join("; ", result.Unreachable));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The scheduled update check failed");
            }

            wait = interval;
        }
    }

    private async Task RecheckAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await checker.RecheckAsync(reference, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Checking the containers of {Reference} after it changed failed", reference);
        }
    }
}
