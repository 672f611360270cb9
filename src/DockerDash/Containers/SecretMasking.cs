using System.Text.RegularExpressions;

namespace DockerDash.Containers;

/// <summary>What callers without <c>container.secrets</c> see instead of environment values and secret-looking labels.</summary>
public static partial class SecretMasking
{
    public const string Mask = "••••••";

    [GeneratedRegex("pass|secret|token|key|credential|auth|private|cert", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    public static bool IsSecretLabel(string key) => SecretName().IsMatch(key);

    public static IReadOnlyDictionary<string, string> MaskLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Any(l => IsSecretLabel(l.Key))
            ? labels.ToDictionary(l => l.Key, l => IsSecretLabel(l.Key) ? Mask : l.Value)
            : labels;

    /// <summary><c>KEY=value</c> becomes <c>KEY=••••••</c>; the names stay readable.</summary>
    public static string MaskVariable(string variable)
    {
        var equals = variable.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? variable : variable[..(equals + 1)] + Mask;
    }

    public static ContainerInfo MaskRow(ContainerInfo row)
    {
        var masked = MaskLabels(row.Labels);
        return ReferenceEquals(masked, row.Labels) ? row : row with { Labels = masked };
    }
}
