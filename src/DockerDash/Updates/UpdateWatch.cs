using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerDash.Containers;

namespace DockerDash.Updates;

/// <summary>
/// Watches a container that an update just started, through the engine's own events for it (from the moment it
/// started, so nothing is missed): a <c>die</c>, an <c>oom</c> or a turn to unhealthy is a failed update. Without a health
/// check it must keep running for the grace period; with one, "healthy" settles it early and no verdict within the
/// check's own budget (start period, then retries x (interval + timeout)), or the grace if longer, fails it.
/// </summary>
public static class UpdateWatch
{
    private static readonly TimeSpan MaxHealthBudget = TimeSpan.FromMinutes(10);

    public static ContainerRecreate.Verdict Within(TimeSpan grace) =>
        (client, created, started, cancellationToken) => WatchAsync(client, created, started, grace, cancellationToken);

    private static async Task<string?> WatchAsync(IDockerClient client, string created, DateTimeOffset started, TimeSpan grace, CancellationToken cancellationToken)
    {
        var inspected = await client.Containers.InspectContainerAsync(created, cancellationToken);
        var health = inspected.Config?.Healthcheck is { Test: [not "NONE", ..] } check ? check : null;
        var limit = health is null ? grace : Max(grace, HealthBudget(health));
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(limit);
        var parameters = new ContainerEventsParameters
        {
            Since = (started.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["container"] = new Dictionary<string, bool> { [created] = true },
            },
        };
        var watching = client.System.MonitorEventsAsync(parameters, new Verdicts(verdict, $"within {Seconds(limit)}"), window.Token);
        await Task.WhenAny(verdict.Task, watching);
        await window.CancelAsync();
        try
        {
            await watching;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The window closed (or the stream ended): what it said is in the verdict, and the inspection below covers the rest.
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (verdict.Task.IsCompleted)
        {
            return await verdict.Task;
        }

        var now = await client.Containers.InspectContainerAsync(created, cancellationToken);
        if (now.State?.Running != true || now.RestartCount > 0)
        {
            return $"stopped within {Seconds(limit)} ({now.State?.Status}, exit code {now.State?.ExitCode})";
        }

        return health is not null && now.State.Health?.Status != "healthy"
            ? $"was not healthy within {Seconds(limit)} (health: {now.State.Health?.Status ?? "unknown"})"
            : null;
    }

    private static TimeSpan HealthBudget(HealthcheckConfig health)
    {
        var interval = health.Interval is { } i && i > TimeSpan.Zero ? i : TimeSpan.FromSeconds(30);
        var timeout = health.Timeout is { } t && t > TimeSpan.Zero ? t : TimeSpan.FromSeconds(30);
        var retries = health.Retries is { } r && r > 0 ? r : 3;
        var budget = (health.StartPeriod ?? TimeSpan.Zero) + (interval + timeout) * (retries + 1);
        return budget < MaxHealthBudget ? budget : MaxHealthBudget;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";

    /// <summary>The engine's events for the new container, turned into a verdict (the first one counts).</summary>
    private sealed class Verdicts(TaskCompletionSource<string?> verdict, string within) : IProgress<Message>
    {
        public void Report(Message value)
        {
            var exitCode = value.Actor?.Attributes is { } attributes && attributes.TryGetValue("exitCode", out var code) ? code : null;
            _ = value.Action switch
            {
                "die" => verdict.TrySetResult($"exited with code {exitCode ?? "?"} {within}"),
                "oom" => verdict.TrySetResult($"ran out of memory {within}"),
                "health_status: unhealthy" => verdict.TrySetResult($"turned unhealthy {within}"),
                "health_status: healthy" => verdict.TrySetResult(null),
                _ => false,
            };
        }
    }
}
