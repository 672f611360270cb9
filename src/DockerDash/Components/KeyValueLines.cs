namespace DockerDash.Components;

/// <summary><c>key=value</c> lines as forms take them (labels, options): a line without '=' is a key with an empty value; a later key wins.</summary>
public static class KeyValueLines
{
    public static Dictionary<string, string> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().ElementAtOrDefault(1)?.Trim() ?? "", StringComparer.Ordinal);
}
