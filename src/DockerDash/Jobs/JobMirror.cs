using System.Collections.Concurrent;
using System.Text.Json;
using DockerDash.Replicas;

namespace DockerDash.Jobs;

/// <summary>
/// Jobs run on the replica where they were started; this lets a user follow them from any replica. Each replica
/// sends a snapshot of its jobs as they start, progress (at most twice a second each) and end; the others show them
/// in their jobs panels as jobs of that replica, and a cancel asked there (through that replica's gate) is passed on
/// to the replica running the job. Without Redis there is one replica and nothing to mirror.
/// </summary>
public sealed class JobMirror(JobRunner jobs, ReplicaSignals signals, TimeProvider time) : IHostedService
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Per local job: when its last snapshot went out, and whether a later one is waiting.</summary>
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Sent, bool Pending)> _sent = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!signals.Shared)
        {
            return Task.CompletedTask;
        }

        jobs.Changed += OnLocalChange;
        signals.Received += OnSignal;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        jobs.Changed -= OnLocalChange;
        signals.Received -= OnSignal;
        return Task.CompletedTask;
    }

    private void OnLocalChange(Job job)
    {
        if (job.Replica is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (job.State != JobState.Running || !_sent.TryGetValue(job.Id, out var last))
        {
            Send(job, now);
            return;
        }

        if (last.Pending)
        {
            return;
        }

        var wait = last.Sent + Every - now;
        if (wait <= TimeSpan.Zero)
        {
            Send(job, now);
            return;
        }

        _sent[job.Id] = last with { Pending = true };
        _ = SendLaterAsync(job, wait);
    }

    private async Task SendLaterAsync(Job job, TimeSpan wait)
    {
        await Task.Delay(wait, time);
        Send(job, time.GetUtcNow());
    }

    private void Send(Job job, DateTimeOffset now)
    {
        var snapshot = job.Snapshot();
        if (snapshot.State == JobState.Running)
        {
            _sent[job.Id] = (now, false);
        }
        else
        {
            _sent.TryRemove(job.Id, out _);
        }

        signals.Send(new ReplicaSignal(SignalKind.JobChanged, JsonSerializer.Serialize(snapshot, Json)));
    }

    private void OnSignal(ReplicaSignal signal)
    {
        if (signal is { Kind: SignalKind.JobChanged, From: { } replica } && JsonSerializer.Deserialize<JobSnapshot>(signal.Subject, Json) is { } snapshot)
        {
            jobs.Mirror(snapshot, replica, id => signals.Send(new ReplicaSignal(SignalKind.JobCancel, id.ToString())));
        }
        else if (signal is { Kind: SignalKind.JobCancel, Remote: true } && Guid.TryParse(signal.Subject, out var id) && jobs.Find(id) is { Replica: null } job)
        {
            job.RequestCancel();
        }
    }
}
