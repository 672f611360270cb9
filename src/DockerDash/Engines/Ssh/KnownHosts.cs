using System.Security.Cryptography;
using System.Text;

namespace DockerDash.Engines.Ssh;

/// <summary>
/// An OpenSSH <c>known_hosts</c> file, read as <c>ssh</c> reads it: host patterns (lists, <c>*</c> and <c>?</c>,
/// <c>!</c> negation, <c>[host]:port</c>), hashed names (<c>|1|salt|hash</c>), and <c>@revoked</c> keys.
/// <c>@cert-authority</c> lines are not supported and are skipped.
/// </summary>
public sealed class KnownHosts
{
    private readonly IReadOnlyList<KnownHostKey> _keys;

    private KnownHosts(string path, IReadOnlyList<KnownHostKey> keys) => (Path, _keys) = (path, keys);

    public string Path { get; }

    public static KnownHosts Load(string path) => Parse(path, File.ReadAllLines(path));

    public static KnownHosts Parse(string path, IEnumerable<string> lines)
    {
        var keys = new List<KnownHostKey>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var fields = raw.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            var revoked = fields[0] == "@revoked";
            if (fields[0].StartsWith('@') && !revoked)
            {
                continue;
            }

            var at = revoked ? 1 : 0;
            if (fields.Length < at + 3 || !TryBase64(fields[at + 2], out var blob))
            {
                continue;
            }

            keys.Add(new KnownHostKey(number, fields[at], fields[at + 1], blob, revoked));
        }

        return new KnownHosts(path, keys);
    }

    /// <summary>The keys whose host patterns name <paramref name="host"/> (<c>host</c> or <c>[host]:port</c>).</summary>
    public IReadOnlyList<KnownHostKey> For(string host) => [.. _keys.Where(k => Names(k.Hosts, host))];

    /// <summary>What the key the host presented is worth: trusted, or why not, in a sentence naming its fingerprint.</summary>
    public HostKeyVerdict Judge(string host, string keyType, byte[] presented)
    {
        var known = For(host);
        var fingerprint = Fingerprint(presented);
        if (known.FirstOrDefault(k => k.Revoked && k.Blob.AsSpan().SequenceEqual(presented)) is { } revoked)
        {
            return HostKeyVerdict.Refused($"the host key of {host} ({keyType} {fingerprint}) is marked @revoked in {Path} (line {revoked.Line}).");
        }

        if (known.Any(k => !k.Revoked && k.Blob.AsSpan().SequenceEqual(presented)))
        {
            return HostKeyVerdict.Trusted;
        }

        if (known.FirstOrDefault(k => !k.Revoked) is { } other)
        {
            return HostKeyVerdict.Refused(
                $"the host key of {host} has CHANGED: it presents {keyType} {fingerprint}, but {Path} (line {other.Line}) names another key. "
                + "Someone may be intercepting the connection; if the host was reinstalled, replace that line.");
        }

        return HostKeyVerdict.Refused(
            $"the host key of {host} ({keyType} {fingerprint}) is not in {Path}. If it is the right key, add it there "
            + "(for example with ssh-keyscan); DockerDash never accepts an unknown host key.");
    }

    /// <summary>OpenSSH's fingerprint: <c>SHA256:</c> and the unpadded base64 of the key's SHA-256.</summary>
    public static string Fingerprint(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    private static bool Names(string patterns, string host)
    {
        var matched = false;
        foreach (var pattern in patterns.Split(','))
        {
            if (pattern.StartsWith("|1|", StringComparison.Ordinal))
            {
                matched |= HashedNames(pattern, host);
            }
            else if (pattern.StartsWith('!'))
            {
                if (Wildcard(pattern[1..], host))
                {
                    return false;
                }
            }
            else
            {
                matched |= Wildcard(pattern, host);
            }
        }

        return matched;
    }

    // |1|base64(salt)|base64(HMAC-SHA1(salt, host))
    private static bool HashedNames(string pattern, string host)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4 || !TryBase64(parts[2], out var salt) || !TryBase64(parts[3], out var hash))
        {
            return false;
        }

        // OpenSSH's HashKnownHosts format is defined with HMAC-SHA1; it hides names, it signs nothing.
#pragma warning disable CA5350
        return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(host)), hash);
#pragma warning restore CA5350
    }

    private static bool Wildcard(string pattern, string text) => Wildcard(pattern.AsSpan(), text.AsSpan());

    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (!pattern.IsEmpty)
        {
            if (pattern[0] == '*')
            {
                var rest = pattern[1..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (Wildcard(rest, text[i..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (text.IsEmpty || (pattern[0] != '?' && char.ToLowerInvariant(pattern[0]) != char.ToLowerInvariant(text[0])))
            {
                return false;
            }

            pattern = pattern[1..];
            text = text[1..];
        }

        return text.IsEmpty;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

/// <summary>One key line: its line number, host patterns, key type (<c>ssh-ed25519</c>, <c>ssh-rsa</c>, ...) and key.</summary>
public sealed record KnownHostKey(int Line, string Hosts, string KeyType, byte[] Blob, bool Revoked);

/// <summary>Whether a presented host key is trusted, and if not, why.</summary>
public sealed record HostKeyVerdict(bool Trust, string? Reason)
{
    public static readonly HostKeyVerdict Trusted = new(true, null);

    public static HostKeyVerdict Refused(string reason) => new(false, reason);
}
