using System.Collections.Concurrent;
using DockerDash.Operations;
using DockerDash.Streaming;
using Microsoft.Extensions.Options;

namespace DockerDash.Terminals;

/// <summary>The open consoles of the whole app: at most <c>DockerDash:Exec:MaxSessionsPerUser</c> per user, found by their owner to resize.</summary>
public sealed class TerminalSessions(IOptions<TerminalOptions> options)
{
    private readonly PlaceCounter _places = new();
    private readonly ConcurrentDictionary<(string Owner, string Name), TerminalSession> _open = new();

    /// <summary>Takes one of the user's console places, or throws with the limit in the sentence. Released by <see cref="Remove"/>.</summary>
    public void Reserve(string owner)
    {
        if (!_places.TryTake(owner, options.Value.MaxSessionsPerUser))
        {
            throw new OperationFailedException(
                $"You have {options.Value.MaxSessionsPerUser} consoles open, the most allowed (DockerDash:Exec:MaxSessionsPerUser): close one first.", OperationFailure.Invalid);
        }
    }

    public void Unreserve(string owner) => _places.Release(owner);

    public int OpenBy(string owner) => _places.Taken(owner);

    public void Add(TerminalSession session) => _open[(session.Start.Caller.Key, NameOf(session))] = session;

    public void Remove(TerminalSession session)
    {
        if (_open.TryRemove(new KeyValuePair<(string, string), TerminalSession>((session.Start.Caller.Key, NameOf(session)), session)))
        {
            _places.Release(session.Start.Caller.Key);
        }
    }

    /// <summary>The caller's own session by the name its client gave it (or its id): nobody reaches another's console.</summary>
    public TerminalSession? Find(string owner, string name) => _open.GetValueOrDefault((owner, name));

    private static string NameOf(TerminalSession session) => session.Start.ClientName ?? session.Id;
}
