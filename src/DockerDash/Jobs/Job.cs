
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

/// <summary>
/// A long engine operation (pull, push, build, ...) running in the background: it outlives the page that
/// started it, reports progress (per layer, and output lines) and can be cancelled. Thread-safe: the
/// engine's progress arrives on another thread than the pages that read it.
/// </summary>
public sealed class Job(string kind, string title, string engine, string owner, DateTimeOffset started, string? ownerKey = null) : IDisposable
{
    public const int MaxLines = 500;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LayerProgress> _layers = [];
    private readonly List<string> _layerOrder = [];
    private readonly Queue<string> _lines = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid Id { get; } = Guid.NewGuid();

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
            if (State == JobState.Running)
            {
                _cancel.Cancel();
            }
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
