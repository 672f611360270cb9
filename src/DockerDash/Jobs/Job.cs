
namespace DockerDash.Jobs;

public enum JobState
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One layer's progress in a pull or push, as the engine's JSON progress stream reports it.</summary>
public sealed record LayerProgress(string Id, string Status, long Current, long Total)
{
    /// <summary>0–100 when the engine gave a size, else null (e.g. "Already exists", "Waiting").</summary>
    public double? Percent => Total > 0 ? Math.Min(100, 100.0 * Current / Total) : null;

    /// <summary>The engine's last word on a layer that needs nothing more.</summary>
    public bool Done => Status is "Pull complete" or "Already exists" or "Pushed" or "Layer already exists" or "Done" || Status.StartsWith("Mounted from", StringComparison.Ordinal);
}

/// <summary>A job as replicas tell each other of it: everything the jobs panel shows, the last lines only.</summary>
public sealed record JobSnapshot(
    Guid Id, string Kind, string Title, string Engine, string Owner, string OwnerKey, DateTimeOffset Started, DateTimeOffset? Finished,
    JobState State, string? Outcome, Operations.OperationFailure? Failure, IReadOnlyList<LayerProgress> Layers, IReadOnlyList<string> Lines)
{
    public const int MaxLines = 30;
}

/// <summary>
/// A long engine operation (pull, push, build, ...) running in the background: it outlives the page that
/// started it, reports progress (per layer, and output lines) and can be cancelled. Thread-safe: the
/// engine's progress arrives on another thread than the pages that read it.
/// </summary>
public sealed class Job(string kind, string title, string engine, string owner, DateTimeOffset started, string? ownerKey = null, Guid? id = null) : IDisposable
{
    public const int MaxLines = 500;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LayerProgress> _layers = [];
    private readonly List<string> _layerOrder = [];
    private readonly Queue<string> _lines = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid Id { get; } = id ?? Guid.NewGuid();

    /// <summary>The replica it runs on when that is another one (<see cref="JobMirror"/>); null when it runs here.</summary>
    public string? Replica { get; private init; }

    /// <summary>For a job of another replica: asks that replica to cancel it.</summary>
    private Action<Guid>? _cancelElsewhere;

    public string Kind { get; } = kind;

    public string Title { get; } = title;

    public string Engine { get; } = engine;

    public string Owner { get; } = owner;

    /// <summary>The owner's <see cref="Operations.Caller.Key"/>: who sees and dismisses it (and Admin on <c>*</c>).</summary>
    public string OwnerKey { get; } = ownerKey ?? owner;

    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset? Finished { get; private set; }

    public JobState State { get; private set; } = JobState.Running;

    /// <summary>How it ended, in a sentence (or the engine's words when it failed).</summary>
    public string? Outcome { get; private set; }

    /// <summary>What kind of failure ended it, when it failed.</summary>
    public Operations.OperationFailure? Failure { get; private set; }

    public CancellationToken Cancellation => _cancel.Token;

    /// <summary>Completes when the operation has ended, however it ended.</summary>
    public Task Completion => _finished.Task;

    /// <summary>Raised after any change; handlers must be quick (pages throttle their renders).</summary>
    public event Action<Job>? Changed;

    public IReadOnlyList<LayerProgress> Layers
    {
        get { lock (_lock) { return _layerOrder.Select(id => _layers[id]).ToList(); } }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lock) { return [.. _lines]; } }
    }

    public void ReportLayer(string id, string status, long current, long total)
    {
        lock (_lock)
        {
            if (!_layers.ContainsKey(id))
            {
                _layerOrder.Add(id);
            }

            _layers[id] = new LayerProgress(id, status, current, total);
        }

        Changed?.Invoke(this);
    }

    public void ReportLine(string line)
    {
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }

        Changed?.Invoke(this);
    }

    public void RequestCancel()
    {
        lock (_lock)
        {
            if (State != JobState.Running)
            {
                return;
            }

            if (_cancelElsewhere is null)
            {
                _cancel.Cancel();
                return;
            }
        }

        _cancelElsewhere(Id);
    }

    /// <summary>What another replica shows of this job: its progress and last lines, how it ended.</summary>
    public JobSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new JobSnapshot(Id, Kind, Title, Engine, Owner, OwnerKey, Started, Finished, State, Outcome, Failure,
                _layerOrder.Select(id => _layers[id]).ToList(), [.. _lines.TakeLast(JobSnapshot.MaxLines)]);
        }
    }

    /// <summary>A job running on <paramref name="replica"/>, as its snapshot says; cancelling it asks that replica.</summary>
    public static Job Mirror(JobSnapshot snapshot, string replica, Action<Guid> cancel) =>
        new(snapshot.Kind, snapshot.Title, snapshot.Engine, snapshot.Owner, snapshot.Started, snapshot.OwnerKey, snapshot.Id)
        {
            Replica = replica,
            _cancelElsewhere = cancel,
        };

    /// <summary>Takes the newer state of a job of another replica.</summary>
    public void Apply(JobSnapshot snapshot)
    {
        lock (_lock)
        {
            _layers.Clear();
            _layerOrder.Clear();
            foreach (var layer in snapshot.Layers)
            {
                _layerOrder.Add(layer.Id);
                _layers[layer.Id] = layer;
            }

            _lines.Clear();
            foreach (var line in snapshot.Lines)
            {
                _lines.Enqueue(line);
            }

            State = snapshot.State;
            Outcome = snapshot.Outcome;
            Finished = snapshot.Finished;
            Failure = snapshot.Failure;
        }

        Changed?.Invoke(this);
        if (snapshot.State != JobState.Running)
        {
            _finished.TrySetResult();
        }
    }

    internal void Finish(JobState state, string outcome, DateTimeOffset at, Operations.OperationFailure? failure = null)
    {
        lock (_lock)
        {
            State = state;
            Outcome = outcome;
            Finished = at;
            Failure = failure;
        }

        Changed?.Invoke(this);
        _finished.TrySetResult();
    }

    public void Dispose() => _cancel.Dispose();
}
