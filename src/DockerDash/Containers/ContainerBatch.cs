using System.Collections.Concurrent;
using DockerDash.Callers;
using DockerDash.Jobs;
using DockerDash.Operations;

namespace DockerDash.Containers;

/// <summary>What can be done to many containers at once.</summary>
public enum ContainerAction
{
    Start,
    Stop,
    Restart,
    Remove,
}

/// <summary>How a batch ended: the containers changed, those already as asked (a stop of a stopped one), and each failure in the engine's words.</summary>
public sealed record BatchResult(ContainerAction Action, IReadOnlyList<string> Done, IReadOnlyList<string> Unchanged, IReadOnlyList<BatchFailure> Failed)
{
    /// <summary>One sentence: "Stopped 2 of 3 containers; 1 was already stopped; 1 failed."</summary>
    public string Summary()
    {
        var total = Done.Count + Unchanged.Count + Failed.Count;
        var sentence = $"{ContainerBatch.Past(Action)} {Done.Count} of {total} container{(total == 1 ? "" : "s")}";
        if (Unchanged.Count > 0)
        {
            sentence += $"; {Unchanged.Count} {(Unchanged.Count == 1 ? "was" : "were")} already {ContainerBatch.Past(Action).ToLowerInvariant()}";
        }

        if (Failed.Count > 0)
        {
            sentence += $"; {Failed.Count} failed: {string.Join("; ", Failed.Select(f => $"{f.Name} ({f.Reason})"))}";
        }

        return sentence + ".";
    }
}

public sealed record BatchFailure(string Name, string Reason);

/// <summary>
/// Runs one action on many containers, a few at a time, as one job in the jobs panel (a line per
/// container as it ends). Each container passes the gate on its own; one failing does not stop the others.
/// </summary>
public sealed class ContainerBatch(ContainerService containers, JobRunner jobs, CallerContext caller)
{
    /// <summary>How many containers are acted on at once: eight slow stops take two stop timeouts, not eight, without flooding the engine.</summary>
    public const int AtOnce = 4;

    /// <param name="progress">Told when each container starts (true) and ends (false), for its row to say "stopping…".</param>
    public async Task<BatchResult> RunAsync(ContainerAction action, IReadOnlyList<ContainerInfo> targets, Action<ContainerKey, bool>? progress = null)
    {
        var done = new ConcurrentQueue<string>();
        var unchanged = new ConcurrentQueue<string>();
        var failed = new ConcurrentQueue<BatchFailure>();
        var engines = string.Join(", ", targets.Select(t => t.Engine).Distinct(StringComparer.Ordinal));
        var title = $"{Doing(action)} {targets.Count} container{(targets.Count == 1 ? "" : "s")}";
        var job = jobs.Start("containers." + action.ToString().ToLowerInvariant(), title, engines, caller.Current, async job =>
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = job.Cancellation };
            await Parallel.ForEachAsync(targets, options, async (target, ct) =>
            {
                progress?.Invoke(target.Key, true);
                try
                {
                    var changed = await RunOneAsync(action, target.Key, ct);
                    (changed ? done : unchanged).Enqueue(target.Name);
                    job.ReportLine($"{target.Name}: {(changed ? Past(action).ToLowerInvariant() : "already " + Past(action).ToLowerInvariant())}");
                }
                catch (OperationFailedException e)
                {
                    failed.Enqueue(new BatchFailure(target.Name, e.Message));
                    job.ReportLine($"{target.Name}: {e.Message}");
                }
                finally
                {
                    progress?.Invoke(target.Key, false);
                }
            });

            var result = Result();
            return failed.IsEmpty ? result.Summary() : throw new OperationFailedException(result.Summary(), OperationFailure.Refused);
        });
        await job.Completion;
        return Result();

        BatchResult Result() => new(action, [.. done], [.. unchanged], [.. failed]);
    }

    public static string Past(ContainerAction action) => action switch
    {
        ContainerAction.Start => "Started",
        ContainerAction.Stop => "Stopped",
        ContainerAction.Restart => "Restarted",
        _ => "Removed",
    };

    public static string Doing(ContainerAction action) => action switch
    {
        ContainerAction.Start => "Starting",
        ContainerAction.Stop => "Stopping",
        ContainerAction.Restart => "Restarting",
        _ => "Removing",
    };

    /// <summary>The action on one container (a row's button), through the gate like every other.</summary>
    /// <returns>False when the container already was as asked.</returns>
    public async Task<bool> RunOneAsync(ContainerAction action, ContainerKey key, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case ContainerAction.Start:
                return await containers.StartAsync(key, cancellationToken);
            case ContainerAction.Stop:
                return await containers.StopAsync(key, cancellationToken: cancellationToken);
            case ContainerAction.Restart:
                await containers.RestartAsync(key, cancellationToken: cancellationToken);
                return true;
            default:
                await containers.RemoveAsync(key, force: true, cancellationToken: cancellationToken);
                return true;
        }
    }
}
