namespace DockerDash.Metrics;

/// <summary><c>DockerDash:Metrics</c>: who may scrape <c>/metrics</c>, and for how many containers DockerDash keeps a stats stream open.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "DockerDash:Metrics";

    /// <summary>Whether <c>/metrics</c> answers without an API token (default false: a token with Viewer on every engine).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Running containers whose CPU, memory, network and block I/O are followed (default 200; 0 for none): exported here,
    /// recorded as history, judged by CPU and memory rules. Each one costs a stats stream from its engine (the engine
    /// samples it every second), shared with anyone watching that container, held open while history is on or a resource
    /// rule exists, and otherwise while something scrapes <c>/metrics</c> and for three minutes after the last scrape.
    /// </summary>
    public int Containers { get; set; } = 200;
}
