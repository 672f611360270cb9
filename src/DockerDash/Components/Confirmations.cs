using MudBlazor;

namespace DockerDash.Components;

/// <summary>The one way pages ask before removing something a person set up (a registry, an alert rule, a webhook).</summary>
public static class Confirmations
{
    /// <returns>Whether the person said yes.</returns>
    public static async Task<bool> ConfirmRemoveAsync(this IDialogService dialogs, string what, string consequence) =>
        await dialogs.ShowMessageBoxAsync($"Remove {what}?", consequence, yesText: "Remove", cancelText: "Cancel") == true;

    /// <summary>Asks before an action that interrupts something running (an update restarts a container).</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string consequence, string yes) =>
        await dialogs.ShowMessageBoxAsync(title, consequence, yesText: yes, cancelText: "Cancel") == true;
}
