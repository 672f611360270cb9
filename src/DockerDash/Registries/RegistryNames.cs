using System.Text.RegularExpressions;
using DockerDash.Operations;

namespace DockerDash.Registries;

/// <summary>
/// The distribution grammar for what goes into a registry URL: repository names, tags and digests.
/// Everything a caller names is checked here before any request is made, so no name can walk out of
/// <c>/v2/</c> (<c>../</c>, <c>%2e%2e</c>, <c>?</c>, <c>#</c>) and take the saved credentials with it.
/// </summary>
public static partial class RegistryNames
{
    /// <summary>distribution/reference: path components of lower-case alphanumerics joined by <c>.</c>, <c>_</c>, <c>__</c> or dashes.</summary>
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    /// <summary>An algorithm, then its encoded hash; sha256 and sha512 must be lower-case hex of their length.</summary>
    [GeneratedRegex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$", RegexOptions.CultureInvariant)]
    private static partial Regex KnownDigestPattern();

    public const int MaxRepositoryLength = 255;

    public static bool IsRepository(string? name) => name is { Length: > 0 and <= MaxRepositoryLength } && RepositoryPattern().IsMatch(name);

    public static bool IsTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    public static bool IsDigest(string? digest) =>
        digest is not null && DigestPattern().IsMatch(digest)
        && (!(digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.StartsWith("sha512:", StringComparison.Ordinal)) || KnownDigestPattern().IsMatch(digest));

    /// <summary>The repository name, or a clear refusal naming the rule it breaks.</summary>
    public static string Repository(string? name) => IsRepository(name)
        ? name!
        : throw new OperationFailedException(
            $"'{Shown(name)}' is not a repository name: lower-case letters, digits and . _ - between them, in parts joined by /.", OperationFailure.Invalid);

    public static string Tag(string? tag) => IsTag(tag)
        ? tag!
        : throw new OperationFailedException($"'{Shown(tag)}' is not a tag: letters, digits, _ . - (up to 128, not starting with . or -).", OperationFailure.Invalid);

    public static string Digest(string? digest) => IsDigest(digest)
        ? digest!
        : throw new OperationFailedException($"'{Shown(digest)}' is not a digest (algorithm:hex, e.g. sha256: and 64 hex digits).", OperationFailure.Invalid);

    /// <summary>One part of a repository name (a Docker Hub namespace, or a repository within it).</summary>
    public static string Component(string? name) => IsRepository(name) && !name!.Contains('/', StringComparison.Ordinal)
        ? name
        : throw new OperationFailedException($"'{Shown(name)}' is not a name here: lower-case letters, digits and . _ - between them.", OperationFailure.Invalid);

    /// <summary>A manifest reference: a tag or a digest.</summary>
    public static string Reference(string? reference) => reference is not null && reference.Contains(':', StringComparison.Ordinal) ? Digest(reference) : Tag(reference);

    /// <summary>What the user typed, cut and without control characters, to quote in a message.</summary>
    private static string Shown(string? text) =>
        new string((text ?? "").Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
