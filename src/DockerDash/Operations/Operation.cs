namespace DockerDash.Operations;

public enum OperationKind
{
    Read,
    Change,

    /// <summary>A read that hands over more than a page shows (a whole filesystem, image or log): audited like a change.</summary>
    SensitiveRead,
}

/// <summary>A named thing a caller may do to an engine. Every engine call names one.</summary>
public sealed record Operation(string Name, OperationKind Kind)
{
    public override string ToString() => Name;
}

/// <summary>Every operation DockerDash performs on an engine. The policy decides each by name.</summary>
public static class EngineOperations
{
    public static readonly Operation ContainerList = new("container.list", OperationKind.Read);
    public static readonly Operation ContainerInspect = new("container.inspect", OperationKind.Read);
    public static readonly Operation ContainerTop = new("container.top", OperationKind.Read);
    public static readonly Operation ContainerCreate = new("container.create", OperationKind.Change);
    public static readonly Operation ContainerStart = new("container.start", OperationKind.Change);
    public static readonly Operation ContainerStop = new("container.stop", OperationKind.Change);
    public static readonly Operation ContainerRestart = new("container.restart", OperationKind.Change);
    public static readonly Operation ContainerKill = new("container.kill", OperationKind.Change);
    public static readonly Operation ContainerPause = new("container.pause", OperationKind.Change);
    public static readonly Operation ContainerUnpause = new("container.unpause", OperationKind.Change);
    public static readonly Operation ContainerRename = new("container.rename", OperationKind.Change);
    public static readonly Operation ContainerRemove = new("container.remove", OperationKind.Change);
    public static readonly Operation ImageList = new("image.list", OperationKind.Read);
    public static readonly Operation ImageInspect = new("image.inspect", OperationKind.Read);
    public static readonly Operation ImageSearch = new("image.search", OperationKind.Read);
    public static readonly Operation ImagePull = new("image.pull", OperationKind.Change);
    public static readonly Operation ImageTag = new("image.tag", OperationKind.Change);
    public static readonly Operation ImageRemove = new("image.remove", OperationKind.Change);
    public static readonly Operation ImagePrune = new("image.prune", OperationKind.Change);
    public static readonly Operation ImagePush = new("image.push", OperationKind.Change);
    public static readonly Operation ContainerCommit = new("container.commit", OperationKind.Change);
    public static readonly Operation ContainerExport = new("container.export", OperationKind.SensitiveRead);
    public static readonly Operation ImageSave = new("image.save", OperationKind.SensitiveRead);
    public static readonly Operation ImageLoad = new("image.load", OperationKind.Change);
    public static readonly Operation ImageImport = new("image.import", OperationKind.Change);
    public static readonly Operation ImageBuild = new("image.build", OperationKind.Change);
    public static readonly Operation ContainerFilesRead = new("container.files.read", OperationKind.SensitiveRead);
    public static readonly Operation ContainerFilesWrite = new("container.files.write", OperationKind.Change);

    /// <summary>Asking an engine to log in to a registry (<c>POST /auth</c>): does the engine accept these credentials?</summary>
    public static readonly Operation EngineRegistryLogin = new("engine.registry-login", OperationKind.Read);
    public static readonly Operation EventStream = new("event.stream", OperationKind.Read);
    public static readonly Operation ContainerLogs = new("container.logs", OperationKind.Read);
    public static readonly Operation ContainerStats = new("container.stats", OperationKind.Read);

    /// <summary>Resource history (CPU, memory, network) of the engine's containers and of the engine as a whole.</summary>
    public static readonly Operation HistoryRead = new("history.read", OperationKind.Read);

    /// <summary>The whole log as a file, from the start.</summary>
    public static readonly Operation ContainerLogsDownload = new("container.logs.download", OperationKind.SensitiveRead);

    /// <summary>A console: running a command in a running container, with its input and output (a web terminal).</summary>
    public static readonly Operation ContainerExec = new("container.exec", OperationKind.Change);

    /// <summary>A console on the container's main process: its output, and its input when the container keeps stdin open.</summary>
    public static readonly Operation ContainerAttach = new("container.attach", OperationKind.Change);

    /// <summary>Replacing a container with a new one of the same configuration (its image pulled first, when asked).</summary>
    public static readonly Operation ContainerRecreate = new("container.recreate", OperationKind.Change);

    public static readonly Operation VolumeList = new("volume.list", OperationKind.Read);
    public static readonly Operation VolumeCreate = new("volume.create", OperationKind.Change);
    public static readonly Operation VolumeRemove = new("volume.remove", OperationKind.Change);
    public static readonly Operation VolumePrune = new("volume.prune", OperationKind.Change);

    /// <summary>Making a short-lived helper container that mounts a volume, to read its files (which then needs <c>container.files.read</c>).</summary>
    public static readonly Operation VolumeBrowse = new("volume.browse", OperationKind.SensitiveRead);

    public static readonly Operation NetworkList = new("network.list", OperationKind.Read);
    public static readonly Operation NetworkCreate = new("network.create", OperationKind.Change);
    public static readonly Operation NetworkRemove = new("network.remove", OperationKind.Change);
    public static readonly Operation NetworkPrune = new("network.prune", OperationKind.Change);

    /// <summary>Connecting a container to a network or disconnecting it.</summary>
    public static readonly Operation NetworkConnect = new("network.connect", OperationKind.Change);

    /// <summary>What an engine says about itself (<c>/info</c>) and its disk usage (<c>/system/df</c>).</summary>
    public static readonly Operation EngineInfo = new("engine.info", OperationKind.Read);

    /// <summary>Removing stopped containers (those a dry run listed).</summary>
    public static readonly Operation ContainerPrune = new("container.prune", OperationKind.Change);

    /// <summary>Removing the build cache nothing uses.</summary>
    public static readonly Operation BuildCachePrune = new("buildcache.prune", OperationKind.Change);

    /// <summary>A compose project's networks and volumes (what a "down" would remove).</summary>
    public static readonly Operation ProjectInspect = new("project.inspect", OperationKind.Read);

    /// <summary>Starting, stopping, restarting, pausing or unpausing every container of a compose project, in dependency order.</summary>
    public static readonly Operation ProjectControl = new("project.control", OperationKind.Change);

    /// <summary>Pulling every image a compose project's containers run.</summary>
    public static readonly Operation ProjectPull = new("project.pull", OperationKind.Change);

    /// <summary>Replacing a project's containers (or one container) with new ones of the same configuration, one at a time.</summary>
    public static readonly Operation ProjectRecreate = new("project.recreate", OperationKind.Change);

    /// <summary>Removing a project's containers, and when asked its networks and named volumes.</summary>
    public static readonly Operation ProjectDown = new("project.down", OperationKind.Change);

    /// <summary>Comparing containers' images with what their tags name in their registries now (and reading what the last check found).</summary>
    public static readonly Operation UpdateCheck = new("update.check", OperationKind.Read);

    /// <summary>Pulling a container's own tag and, when it names a newer image, recreating the container on it (rolled back if it fails).</summary>
    public static readonly Operation ContainerImageUpdate = new("container.update", OperationKind.Change);

    /// <summary>The same for every container of a compose project, in dependency order.</summary>
    public static readonly Operation ProjectUpdate = new("project.update", OperationKind.Change);

    /// <summary>Seeing environment values and secret-looking labels unmasked.</summary>
    public static readonly Operation ContainerSecrets = new("container.secrets", OperationKind.SensitiveRead);

    public static IReadOnlyList<Operation> All { get; } =
    [
        ContainerList, ContainerInspect, ContainerTop, ContainerCreate, ContainerStart, ContainerStop, ContainerRestart,
        ContainerKill, ContainerPause, ContainerUnpause, ContainerRename, ContainerRemove, ImageList, EventStream, ContainerLogs, ContainerLogsDownload, ContainerStats, HistoryRead, ContainerSecrets,
        ImageInspect, ImageSearch, ImagePull, ImageTag, ImageRemove, ImagePrune, ImagePush, ContainerCommit,
        ContainerExport, ImageSave, ImageLoad, ImageImport, ImageBuild, ContainerFilesRead, ContainerFilesWrite, EngineRegistryLogin,
        ContainerExec, ContainerAttach, ContainerRecreate, VolumeList, VolumeCreate, VolumeRemove, VolumePrune, VolumeBrowse,
        NetworkList, NetworkCreate, NetworkRemove, NetworkPrune, NetworkConnect, EngineInfo, ContainerPrune, BuildCachePrune, ProjectInspect, ProjectControl, ProjectPull, ProjectRecreate, ProjectDown,
        UpdateCheck, ContainerImageUpdate, ProjectUpdate,
    ];
}

/// <summary>Operations on DockerDash itself rather than an engine; their scope is <c>*</c>.</summary>
public static class AppOperations
{
    public const string Scope = "*";

    public static readonly Operation UserList = new("user.list", OperationKind.Read);
    public static readonly Operation UserManage = new("user.manage", OperationKind.Change);
    public static readonly Operation TokenList = new("token.list", OperationKind.Read);
    public static readonly Operation TokenManage = new("token.manage", OperationKind.Change);
    public static readonly Operation AuditRead = new("audit.read", OperationKind.Read);

    /// <summary>Scraping <c>/metrics</c>: every engine's containers, by name and image.</summary>
    public static readonly Operation MetricsRead = new("metrics.read", OperationKind.Read);

    public static readonly Operation AlertRead = new("alert.read", OperationKind.Read);
    public static readonly Operation AlertAcknowledge = new("alert.acknowledge", OperationKind.Change);
    public static readonly Operation AlertManage = new("alert.manage", OperationKind.Change);

    /// <summary>Browsing registries: catalog, tags, manifests, layers.</summary>
    public static readonly Operation RegistryRead = new("registry.read", OperationKind.Read);

    /// <summary>Deleting from a registry (a manifest by digest).</summary>
    public static readonly Operation RegistryDelete = new("registry.delete", OperationKind.Change);

    /// <summary>Writing into a registry: copying (promoting) an image to a repository.</summary>
    public static readonly Operation RegistryPush = new("registry.push", OperationKind.Change);

    /// <summary>Adding, editing and removing the registries DockerDash knows, with their credentials.</summary>
    public static readonly Operation RegistryManage = new("registry.manage", OperationKind.Change);

    /// <summary>Playing back the recording of a console session (what was typed and shown).</summary>
    public static readonly Operation ConsoleRecordingRead = new("console.recording.read", OperationKind.SensitiveRead);

    /// <summary>Creating and revoking redeploy webhooks (secret URLs that update containers when called).</summary>
    public static readonly Operation UpdateWebhookManage = new("update.webhook.manage", OperationKind.Change);

    public static IReadOnlyList<Operation> All { get; } = [UserList, UserManage, TokenList, TokenManage, AuditRead, MetricsRead, AlertRead, AlertAcknowledge, AlertManage, RegistryRead, RegistryDelete, RegistryPush, RegistryManage, ConsoleRecordingRead, UpdateWebhookManage];
}
