namespace DockerDash.Components;

/// <summary>What a list page's search box matches: the name, the compose project, or a label written as <c>key=value</c>, ignoring case.</summary>
public static class ListSearch
{
    public static bool Matches(string text, string name, string? project, IReadOnlyDictionary<string, string> labels) =>
        name.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (project?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || labels.Any(l => $"{l.Key}={l.Value}".Contains(text, StringComparison.OrdinalIgnoreCase));
}
