using System.Collections.Concurrent;
using DockerDash.Replicas;
using Microsoft.Extensions.Primitives;

namespace DockerDash.Security.Accounts;

/// <summary>
/// Users and tokens whose sessions must be judged again now, on every replica: a user locked, deleted or given other
/// roles, a token revoked. Open hub connections and page circuits of that subject are checked at once, and a cookie
/// session found good a moment ago is no longer taken on trust. Without it they would notice at their next periodic
/// check (<see cref="SecurityOptions.RevalidationInterval"/>).
/// </summary>
public sealed class SessionChanges
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _trusted = new();

    private readonly ReplicaSignals _signals;

    public SessionChanges(ReplicaSignals signals)
    {
        _signals = signals;
        signals.Received += OnSignal;
    }

    /// <summary>A user id or token id whose sessions must be judged again.</summary>
    public event Action<string>? Changed;

    public void UserChanged(string userId) => _signals.Send(new ReplicaSignal(SignalKind.UserChanged, userId));

    /// <summary>Expires when <paramref name="subject"/> changes: for a cached "this session is good".</summary>
    public IChangeToken TrustedUntilChanged(string subject) => new CancellationChangeToken(_trusted.GetOrAdd(subject, _ => new CancellationTokenSource()).Token);

    private void OnSignal(ReplicaSignal signal)
    {
        if (signal.Kind is not (SignalKind.UserChanged or SignalKind.TokenRevoked))
        {
            return;
        }

        if (_trusted.TryRemove(signal.Subject, out var trusted))
        {
            trusted.Cancel();
            trusted.Dispose();
        }

        Changed?.Invoke(signal.Subject);
    }
}
