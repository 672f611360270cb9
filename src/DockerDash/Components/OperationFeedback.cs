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
}
