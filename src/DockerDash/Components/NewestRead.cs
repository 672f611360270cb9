namespace DockerDash.Components;

/// <summary>
/// Orders a page's overlapping reads of the same thing (its own after an action, another after an engine's update):
/// only the newest one asked is shown, so that an answer arriving late cannot put back what a later read replaced
/// ("running" after a stop's "exited"). Used on the component's renderer, one call at a time.
/// </summary>
public sealed class NewestRead
{
    private int _asked;

    /// <summary>A read begins; its number, for <see cref="IsNewest"/> when it answers.</summary>
    public int Begin() => ++_asked;

    public bool IsNewest(int read) => read == _asked;
}
