using System.Text.RegularExpressions;

namespace DockerDash.Images;

/// <summary>An image reference checked against the distribution grammar: <c>[host[:port]/]path[:tag][@digest]</c>.</summary>
public static partial class ImageReference
{
    [GeneratedRegex(@"^(?:(?<domain>(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")]
    private static partial Regex Grammar();

    /// <summary>Null when <paramref name="reference"/> is valid, else why not, in a sentence.</summary>
    public static string? Problem(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return "Name an image, e.g. busybox:latest.";
        }

        if (reference != reference.Trim())
        {
            return "An image reference has no spaces around it.";
        }

        if (reference.Length > 255 + 128 + 80)
        {
            return "That image reference is too long.";
        }

        var match = Grammar().Match(reference);
        if (!match.Success)
        {
            return reference.Any(char.IsUpper) && !reference.Contains('/', StringComparison.Ordinal)
                ? $"'{reference}' is not a valid image reference: repository names must be lowercase."
                : $"'{reference}' is not a valid image reference (expected [registry/]name[:tag][@digest]).";
        }

        var domain = match.Groups["domain"];
        if (domain.Success && !domain.Value.Contains('.', StringComparison.Ordinal) && !domain.Value.Contains(':', StringComparison.Ordinal)
            && domain.Value != "localhost" && domain.Value.Any(char.IsUpper))
        {
            return $"'{reference}' is not a valid image reference: repository names must be lowercase.";
        }

        return match.Groups["path"].Value.Length > 255 ? "That repository name is longer than 255 characters." : null;
    }

    /// <summary>Splits <c>host:5000/name:tag</c> into the repository and the tag (null when none); a digest stays with the repository.</summary>
    public static (string Repository, string? Tag) SplitTag(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return (reference, null);
        }

        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, null);
    }

    /// <summary>The registry a reference names (<c>docker.io</c> when it names none), as the engine's auth wants it.</summary>
    public static string Registry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var first = slash > 0 ? reference[..slash] : "";
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }
}
