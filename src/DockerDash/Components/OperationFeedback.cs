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

    /// <summary>Runs one action per item and reports once: how many succeeded, and each failure in the engine's words.</summary>
    public static async Task RunEachAsync<T>(this ISnackbar snackbar, string verb, IReadOnlyCollection<T> items, Func<T, string> nameOf, Func<T, Task> action)
    {
        var failures = new List<string>();
        foreach (var item in items)
        {
            try
            {
                await action(item);
            }
            catch (OperationFailedException e)
            {
                failures.Add($"{nameOf(item)}: {e.Message}");
            }
        }

        var done = items.Count - failures.Count;
        if (done > 0)
        {
            snackbar.Add($"{verb} {done} container{(done == 1 ? "" : "s")}.", Severity.Success);
        }

        foreach (var failure in failures)
        {
            snackbar.Add(failure, Severity.Error);
        }
    }
}
