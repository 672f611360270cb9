using System.Reflection;
using System.Text.Json;
using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Events;
using DockerDash.Images;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Security.Audit;
using DockerDash.Security.Tokens;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using DockerDash.Callers;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// Every operation of the policy table, for every role and for anonymous callers, through the
/// service layer and through the hub: allowed exactly when the table says so, and every denial audited.
/// </summary>
public class PermissionMatrixTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly DashboardRole[] Roles = [DashboardRole.None, DashboardRole.Viewer, DashboardRole.Operator, DashboardRole.Admin];

    /// <summary>A compose project nobody has: an action on it gets past the gate and then finds nothing.</summary>
    private const string NoProject = "matrix-no-such-project";

    /// <summary>
    /// An engine nobody configured: a prune of every dangling image is sent there, gets past the gate and then finds no
    /// engine (on the rig's, it could take an image another class's build has just made).
    /// </summary>
    private const string NoEngine = "matrix-no-such-engine";

    /// <summary>An image the rig's registry does not have: a pull gets past the gate and then fails at the registry.</summary>
    private static string MissingImage => $"{TestRig.Registry}/dockerdash/missing:none";

    public static IReadOnlyList<Operation> AllOperations => [.. EngineOperations.All, .. AppOperations.All];

    /// <summary>Operations that change the container they are given: each case gets its own, removed when the case ends.</summary>
    private static readonly HashSet<string> ChangesTheContainer =
    [
        EngineOperations.ContainerStart.Name, EngineOperations.ContainerStop.Name, EngineOperations.ContainerRestart.Name,
        EngineOperations.ContainerKill.Name, EngineOperations.ContainerPause.Name, EngineOperations.ContainerUnpause.Name,
        EngineOperations.ContainerRename.Name, EngineOperations.ContainerRemove.Name, EngineOperations.ContainerRecreate.Name,
    ];

    /// <summary>
    /// The container a case works on: the class's one shared sleeper, or for an operation that changes it, when the role
    /// may do it, a fresh one of its own. Either way at most two containers are alive at once. A denied case works on the
    /// shared sleeper: if the gate let it through after all, the case fails on that (and the sleeper may be gone).
    /// </summary>
    private async Task<RigContainer?> OwnContainerAsync(string operation, DashboardRole role) =>
        ChangesTheContainer.Contains(operation) && role >= OperationPolicyTable.LeastRole[operation] ? await fixture.Engine.SleeperAsync("matrix") : null;

    public static TheoryData<string, DashboardRole> ServiceCases => Cases(AllOperations);

    public static TheoryData<string, DashboardRole> HubCases => Cases(AllOperations.Where(o => HubExercises.ContainsKey(o.Name)));

    public static TheoryData<string, DashboardRole> EndpointCases => Cases(AllOperations.Where(o => EndpointExercises.ContainsKey(o.Name)));

    [Fact]
    public void Every_declared_operation_is_listed_and_has_a_policy_entry()
    {
        var declared = new[] { typeof(EngineOperations), typeof(AppOperations) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(Operation))
            .Select(f => (Operation)f.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Select(o => o.Name).Order(), AllOperations.Select(o => o.Name).Order());
        Assert.All(declared, o => Assert.True(OperationPolicyTable.For(o).HasValue, $"{o.Name} has no entry in OperationPolicyTable"));
        Assert.All(OperationPolicyTable.LeastRole.Keys, name => Assert.Contains(name, declared.Select(o => o.Name)));
    }

    [Fact]
    public void Every_engine_operation_can_be_reached_through_the_hub_or_an_http_endpoint_and_only_app_operations_cannot()
    {
        Assert.All(AllOperations, o => Assert.True(ServiceExercises.ContainsKey(o.Name), $"{o.Name} has no service exercise in this test"));
        Assert.Equal(AppOperations.All.Select(o => o.Name).Order(), AllOperations.Where(o => !HubExercises.ContainsKey(o.Name) && !EndpointExercises.ContainsKey(o.Name)).Select(o => o.Name).Order());
    }

    [Theory]
    [MemberData(nameof(EndpointCases))]
    public async Task The_http_endpoints_allow_exactly_what_the_table_says(string operation, DashboardRole role)
    {
        await using var own = await OwnContainerAsync(operation, role);
        var id = own?.Id ?? await fixture.SharedSleeperAsync();
        var expected = role >= OperationPolicyTable.LeastRole[operation];
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.App.Address };
        if (role != DashboardRole.None)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await fixture.TokenAsync(role));
        }

        using var response = await EndpointExercises[operation](http, id);

        var allowed = response.StatusCode is not (System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Redirect or System.Net.HttpStatusCode.Found);
        Assert.True(expected == allowed, $"{operation} as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (!allowed && role != DashboardRole.None)
        {
            Assert.Contains(await fixture.App.AuditAsync(), e => e.Caller.Contains($"test {role} Api", StringComparison.Ordinal) && e.Operation == operation && e.Outcome == nameof(OperationOutcome.Denied));
        }
    }

    /// <summary>An empty tar: two zero blocks.</summary>
    private static ByteArrayContent EmptyTar() => new(new byte[1024]);

    private static readonly Dictionary<string, Func<HttpClient, string, Task<HttpResponseMessage>>> EndpointExercises = new()
    {
        [EngineOperations.ContainerExport.Name] = (http, id) => http.GetAsync(new Uri($"/containers/rig/{id}/export", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead),
        [EngineOperations.ImageSave.Name] = (http, _) => http.GetAsync(new Uri($"/images/rig/save?name={Uri.EscapeDataString(TestRig.Image)}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead),
        [EngineOperations.ImageLoad.Name] = (http, _) => http.PostAsync(new Uri("/images/rig/load", UriKind.Relative), EmptyTar()),
        [EngineOperations.ContainerFilesWrite.Name] = (http, id) => http.PostAsync(new Uri($"/containers/rig/{id}/files?path=/etc&name=matrix.txt", UriKind.Relative), new StringContent("x")),
        [EngineOperations.ContainerLogsDownload.Name] = (http, id) => http.GetAsync(new Uri($"/containers/rig/{id}/logs/download", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead),
        [EngineOperations.ImageImport.Name] = (http, _) => http.PostAsync(new Uri("/images/rig/import?reference=dockerdash-test/matrix-import:1", UriKind.Relative), EmptyTar()),
    };

    [Theory]
    [MemberData(nameof(ServiceCases))]
    public async Task The_service_layer_allows_exactly_what_the_table_says(string operation, DashboardRole role)
    {
        await using var own = await OwnContainerAsync(operation, role);
        var id = own?.Id ?? await fixture.SharedSleeperAsync();
        var caller = TestCallers.With(role, name: $"svc-{operation}");
        var expected = role >= OperationPolicyTable.LeastRole[operation];

        var allowed = await ServiceExercises[operation](fixture, caller, id);
        await RemoveRecreatedAsync(operation, own);

        Assert.Equal(expected, allowed);
        if (!allowed && operation != EngineOperations.ContainerSecrets.Name)
        {
            Assert.Contains(await fixture.App.AuditAsync(), e => e.Caller == caller.DisplayName && e.Operation == operation && e.Outcome == nameof(OperationOutcome.Denied));
        }
    }

    [Theory]
    [MemberData(nameof(HubCases))]
    public async Task The_hub_allows_exactly_what_the_table_says(string operation, DashboardRole role)
    {
        await using var own = await OwnContainerAsync(operation, role);
        var id = own?.Id ?? await fixture.SharedSleeperAsync();
        var expected = role >= OperationPolicyTable.LeastRole[operation];
        await using var hub = fixture.App.Hub(role == DashboardRole.None ? null : await fixture.TokenAsync(role));

        bool allowed;
        try
        {
            await hub.StartAsync();
            allowed = await HubExercises[operation](hub, id);
            await RemoveRecreatedAsync(operation, own);
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            allowed = false; // No token, no connection: the anonymous caller never reaches the gate.
        }

        Assert.Equal(expected, allowed);
        if (!allowed && role != DashboardRole.None && operation != EngineOperations.ContainerSecrets.Name)
        {
            Assert.Contains(await fixture.App.AuditAsync(), e => e.Caller.Contains($"test {role} Api", StringComparison.Ordinal) && e.Operation == operation && e.Outcome == nameof(OperationOutcome.Denied));
        }
    }

    /// <summary>A recreate replaced the case's own container with one of the same name (and a new id): that one goes too.</summary>
    private async Task RemoveRecreatedAsync(string operation, RigContainer? own)
    {
        if (operation == EngineOperations.ContainerRecreate.Name && own is not null)
        {
            await fixture.Engine.RemoveAsync(own.Name);
        }
    }

    private static TheoryData<string, DashboardRole> Cases(IEnumerable<Operation> operations)
    {
        var data = new TheoryData<string, DashboardRole>();
        foreach (var operation in operations)
        {
            foreach (var role in Roles)
            {
                data.Add(operation.Name, role);
            }
        }

        return data;
    }

    /// <summary>True when the gate let the call through (the engine may still have refused it); false when it was denied.</summary>
    private static async Task<bool> Allowed(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (OperationDeniedException)
        {
            return false;
        }
        catch (OperationFailedException)
        {
            return true;
        }
    }

    private static async Task<bool> HubAllowed(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (HubException e) when (e.Message.Contains("You may not", StringComparison.Ordinal))
        {
            return false;
        }
        catch (HubException)
        {
            return true;
        }
    }

    private static ContainerKey Key(string id) => new("rig", id);

    private static object Ref(string id) => new { engine = "rig", id };

    private static readonly Dictionary<string, Func<AppFixture, Caller, string, Task<bool>>> ServiceExercises = new()
    {
        [EngineOperations.ContainerList.Name] = (f, c, _) => Allowed(() =>
        {
            f.App.As<ContainerService>(c).Subscribe().Dispose();
            return Task.CompletedTask;
        }),
        [EngineOperations.ContainerInspect.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).InspectAsync(Key(id))),
        [EngineOperations.ContainerTop.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).TopAsync(Key(id))),
        [EngineOperations.ContainerCreate.Name] = (f, c, _) => Allowed(async () =>
        {
            var key = await f.App.As<ContainerService>(c).CreateAsync(ContainerCreatePlan.From(new ContainerCreateForm
            {
                Engine = "rig", Image = TestRig.Image, Command = "true", NetworkMode = "none", StartAfterCreate = false,
                Labels = $"{TestRig.RunLabel}={TestRig.RunId}",
            }));
            f.Engine.Track(key.Id);
        }),
        [EngineOperations.ContainerStart.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).StartAsync(Key(id))),
        [EngineOperations.ContainerStop.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).StopAsync(Key(id), 1)),
        [EngineOperations.ContainerRestart.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).RestartAsync(Key(id), 1)),
        [EngineOperations.ContainerKill.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).KillAsync(Key(id))),
        [EngineOperations.ContainerPause.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).PauseAsync(Key(id))),
        [EngineOperations.ContainerUnpause.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).UnpauseAsync(Key(id))),
        [EngineOperations.ContainerRename.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).RenameAsync(Key(id), TestRig.UniqueName("renamed"))),
        [EngineOperations.ContainerRemove.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerService>(c).RemoveAsync(Key(id), force: true)),
        [EngineOperations.ImageList.Name] = (f, c, _) => Allowed(() => f.App.As<ContainerService>(c).ListImageTagsAsync("rig")),
        [EngineOperations.EventStream.Name] = (f, c, _) => Allowed(() => FirstEventOrQuietAsync(f.App.As<EventService>(c).StreamAsync(new EngineEventFilter("rig"), CancellationToken.None))),
        [EngineOperations.ContainerLogs.Name] = (f, c, id) => Allowed(() => FirstEventOrQuietAsync(f.App.As<LogService>(c).StreamAsync(Key(id), new LogQuery(Tail: 1), CancellationToken.None))),
        [EngineOperations.ContainerLogsDownload.Name] = (f, c, id) => Allowed(() => f.App.As<LogService>(c).WriteAllAsync(Key(id), Stream.Null, timestamps: false, CancellationToken.None)),
        [EngineOperations.ContainerStats.Name] = (f, c, id) => Allowed(() => FirstEventOrQuietAsync(f.App.As<StatsService>(c).StreamAsync(Key(id), CancellationToken.None))),
        [EngineOperations.HistoryRead.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.History.HistoryService>(c).ContainerAsync(Key(id), DockerDash.History.HistoryWindow.Hour, CancellationToken.None)),
        [EngineOperations.ContainerSecrets.Name] = async (f, c, id) =>
        {
            try
            {
                return !(await f.App.As<ContainerService>(c).InspectAsync(Key(id))).SecretsHidden;
            }
            catch (OperationDeniedException)
            {
                return false;
            }
        },
        [EngineOperations.ImageInspect.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).InspectAsync("rig", TestRig.Image)),
        [EngineOperations.ImageSearch.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).SearchAsync("rig", "busybox")),
        [EngineOperations.ImagePull.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).StartPull("rig", MissingImage).Completion),
        [EngineOperations.ImageTag.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).TagAsync("rig", TestRig.Image, "dockerdash-test/matrix:tagged")),
        [EngineOperations.ImageRemove.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).RemoveAsync("rig", "dockerdash-test/no-such:image", force: false, keepParents: false)),
        [EngineOperations.ImagePrune.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).PruneDanglingAsync(NoEngine)),
        [EngineOperations.ImagePush.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).StartPush("rig", MissingImage).Completion),
        [EngineOperations.ContainerCommit.Name] = (f, c, id) => Allowed(() => f.App.As<ImageService>(c).CommitAsync("rig", id, "dockerdash-test/matrix-commit:1", null, null, null)),
        [EngineOperations.ContainerExport.Name] = (f, c, id) => Allowed(() => f.App.As<ImageTransfers>(c).ExportContainerAsync("rig", id, Stream.Null, CancellationToken.None)),
        [EngineOperations.ImageSave.Name] = (f, c, _) => Allowed(() => f.App.As<ImageTransfers>(c).SaveImagesAsync("rig", [TestRig.Image], Stream.Null, CancellationToken.None)),
        [EngineOperations.ImageLoad.Name] = (f, c, _) => Allowed(() => f.App.As<ImageTransfers>(c).LoadImagesAsync("rig", new MemoryStream(new byte[1024]), 1024, CancellationToken.None)),
        [EngineOperations.ImageImport.Name] = (f, c, _) => Allowed(() => f.App.As<ImageTransfers>(c).ImportAsync("rig", new MemoryStream(new byte[1024]), "dockerdash-test/matrix-import:1", null, CancellationToken.None)),
        [EngineOperations.ImageBuild.Name] = (f, c, _) => Allowed(() => f.App.As<ImageService>(c).StartBuild("rig", $"FROM {TestRig.Image}", new BuildRequest([], new Dictionary<string, string>())).Completion),
        [EngineOperations.ContainerFilesRead.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.Files.ContainerFiles>(c).ListAsync("rig", id, "/etc")),
        [EngineOperations.ContainerFilesWrite.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.Files.ContainerFiles>(c).UploadAsync("rig", id, "/etc", "matrix.txt", 1, new MemoryStream([1]), 1024)),
        [AppOperations.RegistryRead.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Registries.RegistryService>(c).ListAsync()),
        [AppOperations.RegistryDelete.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Registries.RegistryService>(c).DeleteTagAsync(-1, "none", "none")),
        [AppOperations.RegistryPush.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Registries.RegistryService>(c).CopyAsync(-1, "none", "none", -1, "none", "none")),
        [EngineOperations.EngineRegistryLogin.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Registries.RegistryService>(c).CheckEngineLoginAsync(-1, "rig")),
        [AppOperations.RegistryManage.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Registries.RegistryService>(c).RemoveAsync(-1)),
        [EngineOperations.ContainerExec.Name] = (f, c, id) => Allowed(async () =>
            await (await f.App.As<DockerDash.Terminals.TerminalService>(c).OpenAsync(new("rig", id, Cmd: ["true"], Tty: false))).DisposeAsync()),
        [EngineOperations.ContainerAttach.Name] = (f, c, id) => Allowed(async () =>
            await (await f.App.As<DockerDash.Terminals.TerminalService>(c).OpenAsync(new("rig", id, DockerDash.Terminals.TerminalMode.Attach))).DisposeAsync()),
        [AppOperations.ConsoleRecordingRead.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Terminals.TerminalService>(c).RecordingAsync(new string('0', 32))),
        [EngineOperations.ContainerRecreate.Name] = (f, c, id) => Allowed(() => f.App.As<ContainerRecreate>(c).RecreateAsync(Key(id), pull: false)),
        [EngineOperations.VolumeList.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Volumes.VolumeService>(c).ListAsync("rig")),
        [EngineOperations.VolumeCreate.Name] = (f, c, _) => Allowed(async () =>
        {
            var created = await f.App.As<DockerDash.Volumes.VolumeService>(c).CreateAsync("rig", TestRig.UniqueName("matrix-volume"));
            await f.Engine.Client.Volumes.RemoveAsync(created.Name, false);
        }),
        [EngineOperations.VolumeRemove.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Volumes.VolumeService>(c).RemoveAsync("rig", "dd-matrix-no-such-volume")),
        [EngineOperations.VolumePrune.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Volumes.VolumeService>(c).PrunePlanAsync("rig")),
        [EngineOperations.VolumeBrowse.Name] = (f, c, _) => Allowed(async () =>
        {
            var volume = TestRig.UniqueName("matrix-browse");
            var helper = await f.App.As<DockerDash.Volumes.VolumeService>(c).CreateHelperAsync("rig", volume, TestRig.Image);
            await f.App.As<DockerDash.Volumes.VolumeService>(c).RemoveHelperAsync("rig", helper);
            await f.Engine.Client.Volumes.RemoveAsync(volume, false);
        }),
        [EngineOperations.NetworkList.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Networks.NetworkService>(c).ListAsync("rig")),
        [EngineOperations.NetworkCreate.Name] = (f, c, _) => Allowed(async () =>
            await f.Engine.Client.Networks.DeleteNetworkAsync(await f.App.As<DockerDash.Networks.NetworkService>(c).CreateAsync("rig", TestRig.UniqueName("matrix-net"), @internal: true))),
        [EngineOperations.NetworkRemove.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Networks.NetworkService>(c).RemoveAsync("rig", "dd-matrix-no-such-network")),
        [EngineOperations.NetworkPrune.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Networks.NetworkService>(c).PrunePlanAsync("rig")),
        [EngineOperations.NetworkConnect.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.Networks.NetworkService>(c).DisconnectAsync("rig", "dd-matrix-no-such-network", id)),
        [EngineOperations.EngineInfo.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Engines.Info.EngineService>(c).FactsAsync("rig")),
        [EngineOperations.ContainerPrune.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Engines.Info.EngineService>(c).PrunePlanAsync("rig", ["containers"])),
        [EngineOperations.BuildCachePrune.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Engines.Info.EngineService>(c).PrunePlanAsync("rig", ["buildCache"])),
        [EngineOperations.ProjectInspect.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Projects.ProjectService>(c).DownPlanAsync("rig", NoProject)),
        [EngineOperations.ProjectControl.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Projects.ProjectService>(c).Start("rig", NoProject, DockerDash.Projects.ProjectAction.Stop).Completion),
        [EngineOperations.ProjectPull.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Projects.ProjectService>(c).Start("rig", NoProject, DockerDash.Projects.ProjectAction.Pull).Completion),
        [EngineOperations.ProjectRecreate.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Projects.ProjectService>(c).Start("rig", NoProject, DockerDash.Projects.ProjectAction.Recreate).Completion),
        [EngineOperations.ProjectDown.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Projects.ProjectService>(c).Start("rig", NoProject, DockerDash.Projects.ProjectAction.Down).Completion),
        [EngineOperations.UpdateCheck.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.Updates.ContainerUpdater>(c).CheckAsync(new DockerDash.Updates.UpdateScope("rig", Container: id))),
        [EngineOperations.ContainerImageUpdate.Name] = (f, c, id) => Allowed(() => f.App.As<DockerDash.Updates.ContainerUpdater>(c).UpdateContainer(Key(id)).Completion),
        [EngineOperations.ProjectUpdate.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Updates.ContainerUpdater>(c).UpdateProject("rig", NoProject).Completion),
        [AppOperations.UpdateWebhookManage.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Updates.UpdateWebhookService>(c).RevokeAsync(-1)),
        [AppOperations.UserList.Name] = (f, c, _) => Allowed(() => f.App.As<AccountService>(c).ListAsync()),
        [AppOperations.UserManage.Name] = (f, c, _) => Allowed(() => f.App.As<AccountService>(c).UnlockAsync("no-such-user")),
        [AppOperations.TokenList.Name] = (f, c, _) => Allowed(() => f.App.As<TokenService>(c).ListAsync()),
        [AppOperations.TokenManage.Name] = (f, c, _) => Allowed(() => f.App.As<TokenService>(c).RevokeAsync("no-such-token")),
        [AppOperations.AuditRead.Name] = (f, c, _) => Allowed(() => f.App.As<AuditService>(c).QueryAsync(new AuditQuery(Limit: 1))),
        [AppOperations.MetricsRead.Name] = (f, c, _) => Allowed(() => Task.Run(f.App.As<DockerDash.Metrics.MetricsAccess>(c).Authorize)),
        [AppOperations.AlertRead.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Alerts.AlertService>(c).FiringsAsync()),
        [AppOperations.AlertAcknowledge.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Alerts.AlertService>(c).AcknowledgeAsync([-1])),
        [AppOperations.AlertManage.Name] = (f, c, _) => Allowed(() => f.App.As<DockerDash.Alerts.AlertService>(c).DeleteRuleAsync(-1)),
    };

    private static readonly Dictionary<string, Func<HubConnection, string, Task<bool>>> HubExercises = new()
    {
        [EngineOperations.ContainerList.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("ListContainers")),
        [EngineOperations.ContainerInspect.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<JsonElement>("InspectContainer", Ref(id))),
        [EngineOperations.ContainerTop.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<JsonElement>("TopContainer", Ref(id))),
        [EngineOperations.ContainerCreate.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("CreateContainer", new
        {
            engine = "rig", image = TestRig.Image, cmd = new[] { "true" }, networkMode = "none", start = false,
            labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
        })),
        [EngineOperations.ContainerStart.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("StartContainer", Ref(id))),
        [EngineOperations.ContainerStop.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("StopContainer", Ref(id), 1)),
        [EngineOperations.ContainerRestart.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("RestartContainer", Ref(id))),
        [EngineOperations.ContainerKill.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("KillContainer", Ref(id), "SIGKILL")),
        [EngineOperations.ContainerPause.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("PauseContainer", Ref(id))),
        [EngineOperations.ContainerUnpause.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("UnpauseContainer", Ref(id))),
        [EngineOperations.ContainerRename.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("RenameContainer", Ref(id), TestRig.UniqueName("renamed"))),
        [EngineOperations.ContainerRemove.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("RemoveContainer", Ref(id), true, false)),
        [EngineOperations.ImageList.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("ListImages", "rig")),
        [EngineOperations.ImageInspect.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("InspectImage", "rig", TestRig.Image)),
        [EngineOperations.ImageSearch.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("SearchImages", "rig", "busybox")),
        [EngineOperations.ImagePull.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("PullImage", "rig", MissingImage, null, null)),
        [EngineOperations.ImageTag.Name] = (h, _) => HubAllowed(() => h.InvokeAsync("TagImage", "rig", TestRig.Image, "dockerdash-test/matrix:hub-tagged")),
        [EngineOperations.ImageRemove.Name] = (h, _) => HubAllowed(() => h.InvokeAsync("RemoveImage", "rig", "dockerdash-test/no-such:image", false, false)),
        [EngineOperations.ImagePrune.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("PruneImages", NoEngine)),
        [EngineOperations.ImagePush.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("PushImage", "rig", MissingImage, null, null)),
        [EngineOperations.ImageBuild.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("BuildImage", "rig", $"FROM {TestRig.Image}", null, null, null, false)),
        [EngineOperations.ContainerFilesRead.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<JsonElement>("ListContainerFiles", "rig", id, "/etc")),
        [EngineOperations.EngineRegistryLogin.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("CheckRegistryLogin", "rig", -1)),
        [EngineOperations.ContainerCommit.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<string>("CommitContainer", "rig", id, "dockerdash-test/matrix-hub-commit:1", null, null, null)),
        [EngineOperations.ContainerExec.Name] = (h, id) => HubAllowed(() => ReadToEndAsync(h.StreamAsync<string>("Exec", new { engine = "rig", container = id, cmd = new[] { "true" }, tty = false }, NoInput()))),
        [EngineOperations.ContainerAttach.Name] = (h, id) => HubAllowed(() => FirstEventOrQuietAsync(h.StreamAsync<string>("Attach", new { engine = "rig", container = id }, NoInput()), HubQuiet)),
        [EngineOperations.ContainerRecreate.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<JsonElement>("RecreateContainer", Ref(id), false)),
        [EngineOperations.VolumeList.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("ListVolumes", "rig")),
        [EngineOperations.VolumeCreate.Name] = (h, _) => HubAllowed(async () =>
        {
            var name = TestRig.UniqueName("matrix-hub-volume");
            await h.InvokeAsync<JsonElement>("CreateVolume", "rig", new { name });
            await h.InvokeAsync("RemoveVolume", "rig", name, false);
        }),
        [EngineOperations.VolumeRemove.Name] = (h, _) => HubAllowed(() => h.InvokeAsync("RemoveVolume", "rig", "dd-matrix-no-such-volume", false)),
        [EngineOperations.VolumePrune.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("Prune", "rig", new { kinds = new[] { "volumes" }, dryRun = true })),
        [EngineOperations.VolumeBrowse.Name] = (h, _) => HubAllowed(async () =>
        {
            var volume = TestRig.UniqueName("matrix-hub-browse");
            var helper = await h.InvokeAsync<string>("BrowseVolume", "rig", volume, TestRig.Image);
            await h.InvokeAsync("RemoveVolumeHelper", "rig", helper);
            await h.InvokeAsync("RemoveVolume", "rig", volume, false);
        }),
        [EngineOperations.NetworkList.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("ListNetworks", "rig")),
        [EngineOperations.NetworkCreate.Name] = (h, _) => HubAllowed(async () =>
            await h.InvokeAsync("RemoveNetwork", "rig", await h.InvokeAsync<string>("CreateNetwork", "rig", new { name = TestRig.UniqueName("matrix-hub-net"), @internal = true }))),
        [EngineOperations.NetworkRemove.Name] = (h, _) => HubAllowed(() => h.InvokeAsync("RemoveNetwork", "rig", "dd-matrix-no-such-network")),
        [EngineOperations.NetworkPrune.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("Prune", "rig", new { kinds = new[] { "networks" }, dryRun = true })),
        [EngineOperations.NetworkConnect.Name] = (h, id) => HubAllowed(() => h.InvokeAsync("DisconnectNetwork", "rig", "dd-matrix-no-such-network", id, false)),
        [EngineOperations.EngineInfo.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("EngineInfo", "rig")),
        [EngineOperations.HistoryRead.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("EngineHistory", "rig", "6h")),
        [EngineOperations.ContainerPrune.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("Prune", "rig", new { kinds = new[] { "containers" }, dryRun = true })),
        [EngineOperations.BuildCachePrune.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("Prune", "rig", new { kinds = new[] { "buildCache" }, dryRun = true })),
        [EngineOperations.ProjectInspect.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<JsonElement>("ProjectResources", "rig", NoProject)),
        [EngineOperations.ProjectControl.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("ProjectAction", "rig", NoProject, "stop", false)),
        [EngineOperations.ProjectPull.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("ProjectAction", "rig", NoProject, "pull", false)),
        [EngineOperations.ProjectRecreate.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("ProjectAction", "rig", NoProject, "recreate", false)),
        [EngineOperations.ProjectDown.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("ProjectAction", "rig", NoProject, "down", false)),
        [EngineOperations.UpdateCheck.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<JsonElement>("CheckUpdates", new { engine = "rig", container = id })),
        [EngineOperations.ContainerImageUpdate.Name] = (h, id) => HubAllowed(() => h.InvokeAsync<string>("UpdateContainer", Ref(id))),
        [EngineOperations.ProjectUpdate.Name] = (h, _) => HubAllowed(() => h.InvokeAsync<string>("UpdateProject", "rig", NoProject)),
        [EngineOperations.EventStream.Name] = (h, _) => HubAllowed(async () =>
            await FirstEventOrQuietAsync((await h.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" })).ReadAllAsync(), HubQuiet)),
        [EngineOperations.ContainerLogs.Name] = (h, id) => HubAllowed(async () =>
            await FirstEventOrQuietAsync((await h.StreamAsChannelAsync<JsonElement>("StreamLogs", new { engine = "rig", container = id, tail = 1 })).ReadAllAsync(), HubQuiet)),
        [EngineOperations.ContainerStats.Name] = (h, id) => HubAllowed(async () =>
            await FirstEventOrQuietAsync((await h.StreamAsChannelAsync<JsonElement>("StreamStats", new { engine = "rig", container = id })).ReadAllAsync(), HubQuiet)),
        [EngineOperations.ContainerSecrets.Name] = async (h, id) =>
        {
            try
            {
                return !(await h.InvokeAsync<JsonElement>("InspectContainer", Ref(id))).GetProperty("secretsHidden").GetBoolean();
            }
            catch (HubException)
            {
                return false;
            }
        },
    };

    private static async IAsyncEnumerable<string> NoInput()
    {
        await Task.CompletedTask;
        yield break;
    }

    private static async Task ReadToEndAsync<T>(IAsyncEnumerable<T> stream)
    {
        await foreach (var _ in stream)
        {
        }
    }

    /// <summary>
    /// How long a hub stream must stay open without an error to count as allowed: a denial comes back over the connection,
    /// and on a busy machine it once took longer than the 300 ms that do in process (a Viewer's attach counted as allowed).
    /// </summary>
    private static readonly TimeSpan HubQuiet = TimeSpan.FromSeconds(2);

    /// <summary>Reads a stream for a moment: a denial fails at once, an allowed stream just waits for events.</summary>
    private static async Task FirstEventOrQuietAsync<T>(IAsyncEnumerable<T> stream, TimeSpan? quietFor = null)
    {
        using var quiet = new CancellationTokenSource(quietFor ?? TimeSpan.FromMilliseconds(300));
        try
        {
            await foreach (var _ in stream.WithCancellation(quiet.Token))
            {
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing happened in the moment: the stream was open, so allowed.
        }
    }
}
