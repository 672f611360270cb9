using DockerDash.Operations;
using MudBlazor;

namespace DockerDash.Components;

/// <summary>Runs a user's action and tells them how it ended: the engine's words on failure, never a stack trace.</summary>
public static class OperationFeedback
{
    /// <returns>Whether the action succeeded.</returns>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, string success, Func<Task> action)
    {
        try
        {
            await action();
            snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (OperationFailedException e)
        {
            snackbar.Add(e.Message, e.Failure == OperationFailure.Denied ? Severity.Warning : Severity.Error);
            return false;
        }
    }

    /// <summary>Waits for a job the page started and says how it ended, in its own outcome sentence.</summary>
    /// <returns>Whether it succeeded.</returns>
    public static async Task<bool> AwaitJobAsync(this ISnackbar snackbar, DockerDash.Jobs.Job job)
    {
        await job.Completion;
        var succeeded = job.State == DockerDash.Jobs.JobState.Succeeded;
        snackbar.Add(job.Outcome ?? job.State.ToString(), succeeded ? Severity.Success : Severity.Error);
        return succeeded;
    }
}
