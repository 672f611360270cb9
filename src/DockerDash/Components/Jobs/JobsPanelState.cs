namespace DockerDash.Components.Jobs;

/// <summary>Whether this browser tab's jobs panel is open: a page that starts an operation opens it.</summary>
public sealed class JobsPanelState
{
    public bool IsOpen { get; private set; }

    public event Action? Changed;

    public void Open() => Set(true);

    public void Toggle() => Set(!IsOpen);

    public void Set(bool open)
    {
        IsOpen = open;
        Changed?.Invoke();
    }
}
