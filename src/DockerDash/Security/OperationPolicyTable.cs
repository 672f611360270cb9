using DockerDash.Operations;
using static DockerDash.Operations.EngineOperations;
using static DockerDash.Security.DashboardRole;

namespace DockerDash.Security;

/// <summary>
/// THE policy table: every operation DockerDash performs and the least role it needs, on the engine
/// (or registry) it touches. An operation missing here is denied to everyone. Change it only with
/// care: the role-by-operation test is generated from it.
/// </summary>
public static class OperationPolicyTable
{
    public static IReadOnlyDictionary<string, DashboardRole> LeastRole { get; } = new Dictionary<string, DashboardRole>
    {
        [ContainerList.Name] = Viewer,
        [ContainerInspect.Name] = Viewer,
        [ContainerTop.Name] = Viewer,
        [EventStream.Name] = Viewer,
        [ContainerLogs.Name] = Viewer,
        [ContainerLogsDownload.Name] = Viewer,
        [ContainerStats.Name] = Viewer,
        [HistoryRead.Name] = Viewer,
        [ImageList.Name] = Viewer,
        [ImageInspect.Name] = Viewer,
        [ImageSearch.Name] = Viewer,
        [ImagePull.Name] = Operator,
        [ImageTag.Name] = Admin,
        [ImageRemove.Name] = Admin,
        [ImagePrune.Name] = Admin,
        [ImagePush.Name] = Admin,
        [ContainerCommit.Name] = Admin,
        [ContainerExport.Name] = Admin,
        [ImageSave.Name] = Admin,
        [ImageLoad.Name] = Admin,
        [ImageImport.Name] = Admin,
        [ImageBuild.Name] = Admin,
        // Reading files is the same as exporting the container (and reaches DockerDash's own /data when it runs in one).
        [ContainerFilesRead.Name] = Admin,
        [ContainerFilesWrite.Name] = Admin,
        // It sends a saved registry password to the engine.
        [EngineRegistryLogin.Name] = Admin,
        // A console is a root shell in the container (and, through a mounted socket, perhaps on the host): Admin.
        [ContainerExec.Name] = Admin,
        [ContainerAttach.Name] = Admin,
        [VolumeList.Name] = Viewer,
        [VolumeCreate.Name] = Admin,
        [VolumeRemove.Name] = Admin,
        [VolumePrune.Name] = Admin,
        [VolumeBrowse.Name] = Admin,
        [NetworkList.Name] = Viewer,
        [NetworkCreate.Name] = Admin,
        [NetworkRemove.Name] = Admin,
        [NetworkPrune.Name] = Admin,
        [NetworkConnect.Name] = Admin,
        [EngineInfo.Name] = Viewer,
        [ContainerPrune.Name] = Admin,
        [BuildCachePrune.Name] = Admin,
        [ProjectInspect.Name] = Viewer,
        [ProjectControl.Name] = Operator,
        [ProjectPull.Name] = Operator,
        // Recreating takes a container away and makes another; down removes: both Admin, like create and remove.
        [ProjectRecreate.Name] = Admin,
        [ContainerRecreate.Name] = Admin,
        [ProjectDown.Name] = Admin,
        [UpdateCheck.Name] = Viewer,
        // An update can only move a container to what its own tag names now, with the configuration it has, and it is
        // rolled back when the new one fails: routine work, like pulling and restarting. Its pull uses the saved
        // credentials of the registry the container's own reference names, for that reference only.
        [ContainerImageUpdate.Name] = Operator,
        [ProjectUpdate.Name] = Operator,
        [ContainerStart.Name] = Operator,
        [ContainerStop.Name] = Operator,
        [ContainerRestart.Name] = Operator,
        [ContainerKill.Name] = Operator,
        [ContainerPause.Name] = Operator,
        [ContainerUnpause.Name] = Operator,
        [ContainerSecrets.Name] = Admin,
        [ContainerCreate.Name] = Admin,
        [ContainerRename.Name] = Admin,
        [ContainerRemove.Name] = Admin,
        [AppOperations.UserList.Name] = Admin,
        [AppOperations.UserManage.Name] = Admin,
        [AppOperations.TokenList.Name] = Admin,
        [AppOperations.TokenManage.Name] = Admin,
        [AppOperations.AuditRead.Name] = Admin,
        // What a viewer of every engine sees anyway, as numbers; on scope "*", so a token for one engine cannot scrape all.
        [AppOperations.MetricsRead.Name] = Viewer,
        [AppOperations.AlertRead.Name] = Viewer,
        [AppOperations.AlertAcknowledge.Name] = Operator,
        [AppOperations.AlertManage.Name] = Admin,
        [AppOperations.RegistryRead.Name] = Viewer,
        [AppOperations.RegistryDelete.Name] = Admin,
        [AppOperations.RegistryPush.Name] = Admin,
        [AppOperations.RegistryManage.Name] = Admin,
        [AppOperations.ConsoleRecordingRead.Name] = Admin,
        // A webhook acts without a person: who may make one decides what runs unattended.
        [AppOperations.UpdateWebhookManage.Name] = Admin,
    };

    /// <summary>The least role for <paramref name="operation"/>, or null when the table does not name it (denied).</summary>
    public static DashboardRole? For(Operation operation) =>
        LeastRole.TryGetValue(operation.Name, out var role) ? role : null;
}
