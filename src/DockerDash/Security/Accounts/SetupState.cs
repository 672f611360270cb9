namespace DockerDash.Security.Accounts;

/// <summary>
/// Whether DockerDash still waits for its first admin. While it does, <c>/setup</c> accepts only the
/// one-time token written to the log; once an admin exists, <c>/setup</c> is closed for good.
/// </summary>
public sealed class SetupState
{
    private readonly Lock _lock = new();
    private string? _token;

    public bool Pending
    {
        get { lock (_lock) { return _token is not null; } }
    }

    /// <summary>The pending token, for tests that play the admin reading the log.</summary>
    internal string? PendingToken
    {
        get { lock (_lock) { return _token; } }
    }

    internal void Require(string token)
    {
        lock (_lock)
        {
            _token = token;
        }
    }

    /// <summary>Consumes the token when it matches: only one caller can ever succeed.</summary>
    public bool TryConsume(string? offered)
    {
        lock (_lock)
        {
            if (_token is null || offered is null
                || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(_token), System.Text.Encoding.UTF8.GetBytes(offered.Trim())))
            {
                return false;
            }

            _token = null;
            return true;
        }
    }

    /// <summary>Puts the token back when creating the admin failed after it was consumed.</summary>
    internal void Restore(string token) => Require(token);
}
