namespace DockerDash.History;

/// <summary>
/// <c>DockerDash:History</c>: CPU, memory and network of running containers and of each engine as a whole, sampled
/// every <see cref="SampleSeconds"/> into the app's database, kept <see cref="RawHours"/> at that resolution and
/// <see cref="RollupDays"/> as <see cref="RollupMinutes"/>-minute averages.
/// </summary>
public sealed class HistoryOptions
{
    public const string SectionName = "DockerDash:History";

    /// <summary>Whether samples are stored (default true). Resource alert rules work either way.</summary>
    public bool Enabled { get; set; } = true;

    public int SampleSeconds { get; set; } = 10;

    public int RawHours { get; set; } = 24;

    public int RollupMinutes { get; set; } = 5;

    public int RollupDays { get; set; } = 14;

    public TimeSpan Sample => TimeSpan.FromSeconds(Math.Max(1, SampleSeconds));

    public TimeSpan Raw => TimeSpan.FromHours(Math.Max(1, RawHours));

    public TimeSpan Rollup => TimeSpan.FromMinutes(Math.Max(1, RollupMinutes));

    public TimeSpan RollupKept => TimeSpan.FromDays(Math.Max(1, RollupDays));
}
