namespace DockerDash.Replicas;

/// <summary>
/// Whether this replica does the one-of-a-kind work now: true for a replica alone (SQLite); with PostgreSQL, false
/// until <see cref="ReplicaLease"/> takes the lease. What that work needs (stats streams for history and resource rules)
/// is wanted only here, so that waiting replicas do not keep streams open for nothing.
/// </summary>
public sealed class LeaseState
{
    public bool Held { get; private set; } = true;

    internal void Set(bool held) => Held = held;
}
