using Docker.DotNet.Models;
using DockerDash.Containers.Create;
using DockerDash.Engines;
using DockerDash.Operations;
using static DockerDash.Operations.EngineOperations;
using DockerDash.Callers;

namespace DockerDash.Containers;

/// <summary>
/// What pages and the hub may do with containers. Each method is one operation through the gate,
/// on behalf of the caller of the current scope; failures arrive as <see cref="OperationFailedException"/>.
/// </summary>
public sealed class ContainerService(OperationGate gate, ContainerStore store, EngineDirectory engines, CallerContext caller)
{
    private Caller Caller => caller.Current;

    /// <summary>
    /// A live view of the containers of every engine the caller may list. Asked again for every
    /// change, so that a caller who loses a role (or whose token is revoked) stops seeing at once;
    /// secret-looking labels are masked for callers who may not see secrets.
    /// </summary>
    public ContainerSubscription Subscribe()
    {
        // A caller who may list no engine at all is refused (and audited); otherwise engines it may not see are left out.
        if (!engines.Connections.Any(c => gate.IsAllowed(Caller, ContainerList, c.Name)))
        {
            gate.Authorize(Caller, ContainerList, AppOperations.Scope);
        }

        return store.Subscribe(
            engine => gate.IsAllowed(Caller, ContainerList, engine),
            row => gate.IsAllowed(Caller, ContainerSecrets, row.Engine) ? row : SecretMasking.MaskRow(row));
    }

    public Task<ContainerDetails> InspectAsync(ContainerKey key, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerInspect, key.Engine, key.Id, async (client, ct) =>
        {
            var details = ContainerDetails.FromInspect(key.Engine, await client.Containers.InspectContainerAsync(key.Id, ct));
            return CanSeeSecrets(key.Engine) ? details : details.WithoutSecrets();
        }, cancellationToken);

    /// <summary>
    /// The engine's inspect document as it sent it, so that it reads like <c>docker inspect</c>. Secrets are
    /// masked unless <paramref name="revealSecrets"/> is asked by a caller who may see them.
    /// </summary>
    public Task<string> InspectDocumentAsync(ContainerKey key, bool revealSecrets = false, CancellationToken cancellationToken = default) =>
        gate.RunHttpAsync(Caller, ContainerInspect, key.Engine, key.Id, async (http, ct) =>
        {
            using var response = await http.GetAsync(new Uri($"containers/{Uri.EscapeDataString(key.Id)}/json", UriKind.Relative), ct);
            var document = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new Docker.DotNet.DockerApiException(response.StatusCode, document);
            }

            return revealSecrets && CanSeeSecrets(key.Engine) ? document : SecretMasking.MaskDocumentText(document);
        }, cancellationToken);

    public Task<ContainerProcesses> TopAsync(ContainerKey key, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerTop, key.Engine, key.Id, async (client, ct) =>
        {
            var top = await client.Containers.ListProcessesAsync(key.Id, new ContainerListProcessesParameters(), ct);
            return new ContainerProcesses(top.Titles?.ToList() ?? [], (top.Processes ?? []).Select(p => (IReadOnlyList<string>)p.ToList()).ToList());
        }, cancellationToken);

    /// <returns>False when the container was already running (the engine's "not modified").</returns>
    public Task<bool> StartAsync(ContainerKey key, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerStart, key.Engine, key.Id, (client, ct) =>
            client.Containers.StartContainerAsync(key.Id, new ContainerStartParameters(), ct), cancellationToken);

    /// <param name="timeoutSeconds">How long the engine waits after SIGTERM before it kills; null for the container's own default.</param>
    /// <returns>False when the container was already stopped (the engine's "not modified").</returns>
    public Task<bool> StopAsync(ContainerKey key, uint? timeoutSeconds = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerStop, key.Engine, key.Id, (client, ct) =>
            client.Containers.StopContainerAsync(key.Id, new ContainerStopParameters { WaitBeforeKillSeconds = timeoutSeconds }, ct), cancellationToken);

    public Task RestartAsync(ContainerKey key, uint? timeoutSeconds = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerRestart, key.Engine, key.Id, (client, ct) =>
            client.Containers.RestartContainerAsync(key.Id, new ContainerRestartParameters { WaitBeforeKillSeconds = timeoutSeconds }, ct), cancellationToken);

    public Task KillAsync(ContainerKey key, string signal = "SIGKILL", CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerKill, key.Engine, key.Id, (client, ct) =>
            client.Containers.KillContainerAsync(key.Id, new ContainerKillParameters { Signal = signal }, ct), cancellationToken);

    public Task PauseAsync(ContainerKey key, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerPause, key.Engine, key.Id, (client, ct) =>
            client.Containers.PauseContainerAsync(key.Id, ct), cancellationToken);

    public Task UnpauseAsync(ContainerKey key, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerUnpause, key.Engine, key.Id, (client, ct) =>
            client.Containers.UnpauseContainerAsync(key.Id, ct), cancellationToken);

    public Task RenameAsync(ContainerKey key, string newName, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerRename, key.Engine, key.Id, (client, ct) =>
            client.Containers.RenameContainerAsync(key.Id, new ContainerRenameParameters { NewName = newName }, ct), cancellationToken);

    public Task RemoveAsync(ContainerKey key, bool force = false, bool removeVolumes = false, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ContainerRemove, key.Engine, key.Id, (client, ct) =>
            client.Containers.RemoveContainerAsync(key.Id, new ContainerRemoveParameters { Force = force, RemoveVolumes = removeVolumes }, ct), cancellationToken);

    /// <summary>Whether the caller may see containers' secrets unmasked on this engine.</summary>
    public bool CanSeeSecrets(string engine) => gate.IsAllowed(Caller, ContainerSecrets, engine);

    /// <summary>
    /// Records that the caller is shown a container's secrets unmasked (the page's reveal switch, a hub client's
    /// inspect): the audited moment, not every re-inspect behind an open page. Denied without <c>container.secrets</c>.
    /// </summary>
    public void RecordSecretsShown(ContainerKey key)
    {
        gate.Authorize(Caller, ContainerSecrets, key.Engine, key.Id);
        gate.AuditShown(Caller, ContainerSecrets, key.Engine, key.Id);
    }

    /// <summary>Creates (and when asked starts) the container the plan describes; returns its id.</summary>
    public Task<ContainerKey> CreateAsync(ContainerCreatePlan plan, CancellationToken cancellationToken = default) =>
        CreateAsync(plan.Form.Engine, () => plan, cancellationToken);

    /// <summary>The same, for a plan made from a request only once the caller may create containers on <paramref name="engine"/>.</summary>
    public async Task<ContainerKey> CreateAsync(string engine, Func<ContainerCreatePlan> makePlan, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, ContainerCreate, engine);
        var plan = makePlan();
        if (!plan.IsValid)
        {
            throw new OperationFailedException(string.Join(" ", plan.Errors.Values), OperationFailure.Invalid);
        }

        return await CreateAsync(plan.Form.Engine, plan.Parameters, plan.Form.StartAfterCreate, cancellationToken);
    }

    /// <summary>Creates (and when asked starts) a container from engine parameters; returns its id.</summary>
    public async Task<ContainerKey> CreateAsync(string engine, CreateContainerParameters parameters, bool start, CancellationToken cancellationToken = default)
    {
        var created = await gate.RunAsync(Caller, ContainerCreate, engine, parameters.Name ?? parameters.Image, (client, ct) =>
            client.Containers.CreateContainerAsync(parameters, ct), cancellationToken);
        var key = new ContainerKey(engine, created.ID);
        if (start)
        {
            await StartAsync(key, cancellationToken);
        }

        return key;
    }

    /// <summary>
    /// A container's whole configuration, to duplicate or edit it in the create form: unmasked (the form needs the environment
    /// values), so only for a caller who may see secrets and create containers there; the audit records the secrets shown.
    /// </summary>
    public async Task<ContainerInspectResponse> DuplicateSourceAsync(ContainerKey key, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, ContainerCreate, key.Engine, key.Id);
        gate.Authorize(Caller, ContainerSecrets, key.Engine, key.Id);
        var source = await gate.RunAsync(Caller, ContainerInspect, key.Engine, key.Id, (client, ct) => client.Containers.InspectContainerAsync(key.Id, ct), cancellationToken);
        RecordSecretsShown(key);
        return source;
    }

    /// <summary>Creates from the form on top of <paramref name="source"/>'s configuration (see <see cref="ContainerDuplicate"/>).</summary>
    public async Task<ContainerKey> CreateCopyAsync(ContainerCreatePlan plan, ContainerInspectResponse source, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, ContainerCreate, plan.Form.Engine);
        if (!plan.IsValid)
        {
            throw new OperationFailedException(string.Join(" ", plan.Errors.Values), OperationFailure.Invalid);
        }

        return await CreateAsync(plan.Form.Engine, ContainerDuplicate.Over(plan, source), plan.Form.StartAfterCreate, cancellationToken);
    }

    /// <summary>The local images of an engine as <c>repository:tag</c>, for the image picker.</summary>
    public Task<IReadOnlyList<string>> ListImageTagsAsync(string engine, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ImageList, engine, null, async (client, ct) =>
        {
            var images = await client.Images.ListImagesAsync(new ImagesListParameters(), ct);
            return (IReadOnlyList<string>)images.SelectMany(i => i.RepoTags ?? []).Where(t => t != "<none>:<none>").Order(StringComparer.Ordinal).ToList();
        }, cancellationToken);
}
