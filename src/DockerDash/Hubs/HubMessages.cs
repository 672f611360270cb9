using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Events;
using DockerDash.Logs;
using DockerDash.Operations;

namespace DockerDash.Hubs;

// What goes over /hubs/docker, in one place: the query objects clients send and the records the hub yields.
// Pages never use these; they use the services and their types.

/// <summary>The query object of <c>StreamEvents</c>; every field optional.</summary>
public sealed record EventQuery(string? Engine = null, string? Type = null, string? Action = null, string? Container = null)
{
    public EngineEventFilter ToFilter() => new(Blank(Engine), Blank(Type), Blank(Action), Blank(Container));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>One event as the hub sends it: <c>{ engine, type, action, id, name?, timeNano }</c>.</summary>
public sealed record HubEvent(string Engine, string Type, string Action, string Id, string? Name, long TimeNano);

/// <summary>Names one container: <c>{ engine, id }</c> (id or name).</summary>
public sealed record ContainerRef(string Engine, string Id = "", string? Container = null)
{
    public ContainerKey Key => new(Engine, Container ?? Id);
}

/// <summary>One container as the hub lists it.</summary>
public sealed record HubContainer(string Engine, string Id, string Name, string Image, string State, string? Health, int? ExitCode, IReadOnlyDictionary<string, string> Labels)
{
    public static HubContainer From(ContainerInfo c) => new(c.Engine, c.Id, c.Name, c.Image, c.State, c.Health, c.ExitCode, c.Labels);
}

/// <summary>A container to create through the hub: the common fields of <c>POST /containers/create</c>.</summary>
public sealed record HubCreateRequest(
    string Engine,
    string Image,
    string? Name = null,
    IReadOnlyList<string>? Cmd = null,
    IReadOnlyList<string>? Env = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? NetworkMode = null,
    bool Privileged = false,
    IReadOnlyList<string>? CapAdd = null,
    bool Start = true)
{
    /// <summary>
    /// The create page's form for this request, so the hub creates through the same checked plan as the page.
    /// The form offers no privileged mode and no extra capabilities: asking for them is refused.
    /// </summary>
    public ContainerCreateForm ToForm() => Privileged || CapAdd is { Count: > 0 }
        ? throw new OperationFailedException("DockerDash creates no privileged containers and adds no capabilities.", OperationFailure.Invalid)
        : new ContainerCreateForm
        {
            Engine = Engine,
            Image = Image,
            Name = Name ?? "",
            Command = string.Join(' ', (Cmd ?? []).Select(CommandLineWords.Quote)),
            Environment = string.Join('\n', Env ?? []),
            Labels = string.Join('\n', (Labels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}")),
            NetworkMode = NetworkMode ?? "",
            StartAfterCreate = Start,
        };
}

/// <summary>The query object of <c>StreamLogs</c>: <c>{ engine, container, tail?, since?, timestamps?, after? }</c>, plus an optional server-side <c>filter</c>.</summary>
public sealed record LogStreamQuery(string Engine, string Container, int? Tail = null, string? Since = null, bool? Timestamps = null, string? After = null, string? Until = null, string? Filter = null, bool Regex = false)
{
    public LogQuery ToLogQuery() => new(
        Tail ?? LogQuery.DefaultTail,
        LogTimestamp.ParseQueryTime(Since, nameof(Since)),
        LogTimestamp.ParseQueryTime(Until, nameof(Until)),
        LogPosition.Parse(After),
        Filter,
        Regex);
}

/// <summary>One log entry as the hub sends it: <c>{ stream, time, text, position }</c> or <c>{ skipped }</c>.</summary>
public sealed record HubLogEntry(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Stream,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Time,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Text,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Position,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? Skipped)
{
    public static HubLogEntry From(LogEntry entry) => entry.Line is { } line
        ? new(line.SourceName, line.TimeText, line.Text, line.PositionText, null)
        : new(null, null, null, null, entry.Skipped);
}

/// <summary>A compose project as the hub sends it.</summary>
public sealed record HubProject(string Engine, string Name, string? WorkingDir, IReadOnlyList<string> ConfigFiles, int Running, int Total, IReadOnlyList<HubProjectService> Services)
{
    public static HubProject From(Projects.ProjectInfo p) =>
        new(p.Engine, p.Name, p.WorkingDir, p.ConfigFiles, p.Running, p.Total,
            p.Services.Select(s => new HubProjectService(s.Name, s.DependsOn, s.Containers.Select(c => new HubProjectContainer(c.Id, c.Name, c.State, c.Health)).ToList())).ToList());
}

public sealed record HubProjectService(string Name, IReadOnlyList<string> DependsOn, IReadOnlyList<HubProjectContainer> Containers);

public sealed record HubProjectContainer(string Id, string Name, string State, string? Health);

public sealed record HubDownPlan(IReadOnlyList<HubProjectContainer> Containers, IReadOnlyList<string> Networks, IReadOnlyList<string> Volumes)
{
    public static HubDownPlan From(Projects.DownPlan plan) =>
        new(plan.Containers.Select(c => new HubProjectContainer(c.Id, c.Name, c.State, c.Health)).ToList(), plan.Networks, plan.Volumes);
}

public sealed record HubVolumeRequest(string? Name, string? Driver = null, Dictionary<string, string>? DriverOpts = null, Dictionary<string, string>? Labels = null);

public sealed record HubPruneRequest(IReadOnlyList<string>? Kinds = null, bool DryRun = true);

public sealed record HubPruneResult(IReadOnlyList<string> Removed, IReadOnlyList<string> Refused, long SpaceReclaimed, bool DryRun);

public sealed record HubNetworkRequest(string Name, string? Driver = null, bool Internal = false, string? Subnet = null, string? Gateway = null, Dictionary<string, string>? Labels = null);

public sealed record HubEngineInfo(Engines.Info.EngineFacts Facts, IReadOnlyList<Engines.Info.SecurityCheck> Security);

/// <summary>What <c>CheckUpdates</c> looks at: all engines you may check, one engine, a project on it, or one container (id or name).</summary>
public sealed record HubUpdateScope(string? Engine = null, string? Project = null, string? Container = null);

/// <summary>
/// One container's update state: <c>status</c> is <c>up-to-date</c>, <c>available</c> (with <c>newDigest</c> and <c>seenAt</c>),
/// <c>pinned</c> (by digest: never updated), <c>local</c> (no registry to compare with) or <c>unreachable</c> (with <c>reason</c>).
/// </summary>
public sealed record HubUpdate(string Engine, string Id, string Name, string? Project, string Reference, string Status, string? CurrentDigest, string? NewDigest, DateTimeOffset? SeenAt, string? Reason, DateTimeOffset CheckedAt)
{
    public static HubUpdate From(Updates.ContainerUpdateState s) => new(s.Engine, s.Id, s.Name, s.Project, s.Reference, StatusName(s.Status), s.CurrentDigest, s.NewDigest, s.SeenAt, s.Reason, s.CheckedAt);

    public static string StatusName(Updates.UpdateStatus status) => status switch
    {
        Updates.UpdateStatus.UpToDate => "up-to-date",
        Updates.UpdateStatus.Available => "available",
        Updates.UpdateStatus.PinnedByDigest => "pinned",
        Updates.UpdateStatus.LocalOnly => "local",
        _ => "unreachable",
    };
}

/// <summary>A check's result: the states it found, and the engines it could not ask.</summary>
public sealed record HubUpdateCheck(IReadOnlyList<HubUpdate> Updates, IReadOnlyList<string> Unreachable);
