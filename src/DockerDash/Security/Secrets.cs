using System.Security.Cryptography;
using System.Text;

namespace DockerDash.Security;

/// <summary>Random secrets handed out once (tokens, webhook URLs) and the hashes kept of them.</summary>
public static class Secrets
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256, hex: enough for a secret with 256 random bits (nothing to guess, nothing to salt).</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="hash"/> was made of, in constant time.</summary>
    public static bool Matches(string hash, string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(secret)));
}
