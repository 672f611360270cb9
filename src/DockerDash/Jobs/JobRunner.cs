using DockerDash.Operations;
using DockerDash.Callers;

namespace DockerDash.Jobs;

/// <summary>
/// Every long operation of the app, running or finished: started by a page, followed by the operations
/// panel of any page. Finished ones stay listed (the latest <see cref="KeepFinished"/>) with their outcome.
/// </summary>
public sealed class JobRunner(TimeProvider time, DockerDash.Metrics.AppMetrics metrics, ILogger<JobRunner> logger)
{
    public const int KeepFinished = 50;

    private readonly Lock _lock = new();
    private readonly List<Job> _operations = [];

    /// <summary>Raised when an operation starts, changes (progress) or ends.</summary>
    public event Action<Job>? Changed;

    /// <summary>Raised only when an operation starts or ends (not on progress): what a count of running operations follows.</summary>
    public event Action? RunningChanged;

    /// <summary>Raised when an operation of this replica has ended, however it ended.</summary>
    public event Action<Job>? Ended;

    /// <summary>Raised when someone dismissed a finished operation.</summary>
    public event Action<Guid>? Dismissed;

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Job> All
    {
        get { lock (_lock) { return _operations.AsEnumerable().Reverse().ToList(); } }
    }

    /// <summary>What <paramref name="caller"/> sees: their own operations; Admin on every engine sees all. Newest first.</summary>
    public IReadOnlyList<Job> VisibleTo(Caller caller) => All.Where(o => MaySee(caller, o)).ToList();

    public static bool MaySee(Caller caller, Job operation) => operation.OwnerKey == caller.Key || caller.IsAdminEverywhere;

    public Job? Find(Guid id)
    {
        lock (_lock)
        {
            return _operations.Find(o => o.Id == id);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the background; it returns the success sentence. A refusal becomes the
    /// outcome in the engine's words; cancelling ends it as cancelled. Nothing it throws escapes.
    /// </summary>
    public Job Start(string kind, string title, string engine, Caller owner, Func<Job, Task<string>> work)
    {
        var operation = new Job(kind, title, engine, owner.DisplayName, time.GetUtcNow(), owner.Key);
        operation.Changed += OnChanged;
        lock (_lock)
        {
            _operations.Add(operation);
            Trim();
        }

        Changed?.Invoke(operation);
        RunningChanged?.Invoke();
        _ = Task.Run(() => RunAsync(operation, work));
        return operation;
    }

    /// <summary>
    /// Runs <paramref name="work"/> as an operation that the caller also waits for (a transfer tied to a request, a
    /// commit): it shows in the panel and can be cancelled there or by <paramref name="cancellationToken"/>.
    /// Returns its result, or throws its failure as it was.
    /// </summary>
    public async Task<T> RunAndWaitAsync<T>(string kind, string title, string engine, Caller owner, Func<Job, CancellationToken, Task<(T Result, string Outcome)>> work, CancellationToken cancellationToken)
    {
        T result = default!;
        var operation = Start(kind, title, engine, owner, async op =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(op.Cancellation, cancellationToken);
            (result, var outcome) = await work(op, either.Token);
            return outcome;
        });
        await operation.Completion;
        return operation.State switch
        {
            JobState.Succeeded => result,
            JobState.Cancelled => throw new OperationCanceledException(operation.Outcome),
            _ => throw new OperationFailedException(operation.Outcome ?? "It failed.", operation.Failure ?? OperationFailure.Refused),
        };
    }

    /// <summary>Shows a job of another replica (<see cref="JobMirror"/>) as its latest snapshot says.</summary>
    public void Mirror(JobSnapshot snapshot, string replica, Action<Guid> cancel)
    {
        Job mirrored;
        bool added;
        lock (_lock)
        {
            mirrored = _operations.Find(o => o.Id == snapshot.Id) ?? Job.Mirror(snapshot, replica, cancel);
            added = !_operations.Contains(mirrored);
            if (added)
            {
                mirrored.Changed += OnChanged;
                _operations.Add(mirrored);
                Trim();
            }
        }

        var wasRunning = !added && mirrored.State == JobState.Running;
        mirrored.Apply(snapshot);
        if (added || (wasRunning && snapshot.State != JobState.Running))
        {
            RunningChanged?.Invoke();
        }
    }

    /// <summary>Forgets a finished operation that <paramref name="caller"/> may see.</summary>
    public void Dismiss(Guid id, Caller caller)
    {
        lock (_lock)
        {
            foreach (var done in _operations.Where(o => o.Id == id && o.State != JobState.Running && MaySee(caller, o)).ToList())
            {
                _operations.Remove(done);
                done.Dispose();
            }
        }

        Dismissed?.Invoke(id);
    }

    /// <summary>Keeps the latest <see cref="KeepFinished"/> finished operations (under the lock).</summary>
    private void Trim()
    {
        var finished = _operations.Where(o => o.State != JobState.Running).ToList();
        foreach (var old in finished.Take(Math.Max(0, finished.Count - KeepFinished)))
        {
            _operations.Remove(old);
            old.Dispose();
        }
    }

    private async Task RunAsync(Job operation, Func<Job, Task<string>> work)
    {
        await RunToEndAsync(operation, work);
        metrics.JobEnded(operation.Kind, operation.State.ToString().ToLowerInvariant());
        RunningChanged?.Invoke();
        Ended?.Invoke(operation);
    }

    private async Task RunToEndAsync(Job operation, Func<Job, Task<string>> work)
    {
        try
        {
            var outcome = await work(operation);
            operation.Finish(JobState.Succeeded, outcome, time.GetUtcNow());
        }
        catch (OperationCanceledException)
        {
            operation.Finish(JobState.Cancelled, operation.Cancellation.IsCancellationRequested ? "Cancelled." : "Stopped: the browser or client went away.", time.GetUtcNow());
        }
        catch (OperationFailedException e)
        {
            operation.Finish(JobState.Failed, e.Message, time.GetUtcNow(), e.Failure);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Background operation {Title} failed", operation.Title);
            operation.Finish(JobState.Failed, "It failed unexpectedly; the server log has the details.", time.GetUtcNow());
        }
    }

    private void OnChanged(Job operation) => Changed?.Invoke(operation);
}
