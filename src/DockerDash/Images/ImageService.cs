using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Jobs;
using DockerDash.Engines;
using DockerDash.Operations;
using static DockerDash.Operations.EngineOperations;
using DockerDash.Callers;

namespace DockerDash.Images;

/// <summary>Images of every engine, through the gate: list, inspect, history, tag, remove, prune, search.</summary>
public sealed class ImageService(OperationGate gate, EngineDirectory engines, JobRunner jobs, CallerContext caller, DockerDash.Registries.TagChanges changes)
{
    private Caller Caller => caller.Current;

    /// <summary>The images of every engine the caller may list (an engine that is down is left out), with how many containers use each.</summary>
    public async Task<IReadOnlyList<ImageInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var visible = engines.Connections.Where(c => c.State.IsUp && gate.IsAllowed(Caller, ImageList, c.Name)).Select(c => c.Name).ToList();
        if (visible.Count == 0)
        {
            gate.Authorize(Caller, ImageList, AppOperations.Scope);
        }

        var lists = await Task.WhenAll(visible.Select(engine => ListAsync(engine, cancellationToken)));
        return lists.SelectMany(l => l).ToList();
    }

    public Task<IReadOnlyList<ImageInfo>> ListAsync(string engine, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ImageList, engine, null, async (client, ct) =>
        {
            var images = await client.Images.ListImagesAsync(new ImagesListParameters { All = false }, ct);
            var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct);
            var users = containers.GroupBy(c => c.ImageID).ToDictionary(g => g.Key, g => g.Count());
            return (IReadOnlyList<ImageInfo>)images.Select(i => Info(engine, i.ID, i.RepoTags, i.RepoDigests, i.Size, i.Created, users.GetValueOrDefault(i.ID))).ToList();
        }, cancellationToken);

    /// <summary>An image's configuration; its environment, commands, secret-looking labels and build arguments masked for callers without <c>container.secrets</c>.</summary>
    public async Task<ImageDetails> InspectAsync(string engine, string image, CancellationToken cancellationToken = default)
    {
        var details = await InspectAsIsAsync(engine, image, cancellationToken);
        return gate.IsAllowed(Caller, ContainerSecrets, engine) ? details : details.WithoutSecrets();
    }

    private Task<ImageDetails> InspectAsIsAsync(string engine, string image, CancellationToken cancellationToken) =>
        gate.RunAsync(Caller, ImageInspect, engine, image, async (client, ct) =>
        {
            var i = await client.Images.InspectImageAsync(image, ct);
            var config = i.Config;
            return new ImageDetails(
                Info(engine, i.ID, i.RepoTags, i.RepoDigests, i.Size, i.Created ?? DateTime.UnixEpoch, 0),
                i.Architecture, i.Os, i.Author,
                config?.Env?.ToList() ?? [], config?.Entrypoint?.ToList() ?? [], config?.Cmd?.ToList() ?? [],
                config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
                config?.ExposedPorts?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
                string.IsNullOrEmpty(config?.WorkingDir) ? null : config.WorkingDir,
                string.IsNullOrEmpty(config?.User) ? null : config.User,
                JsonSerializer.Serialize(i, Indented));
        }, cancellationToken);

    /// <summary>An image's layers and the commands that made them (build arguments and secret flags masked without <c>container.secrets</c>).</summary>
    public Task<IReadOnlyList<ImageLayer>> HistoryAsync(string engine, string image, CancellationToken cancellationToken = default)
    {
        Func<string, string> shown = gate.IsAllowed(Caller, ContainerSecrets, engine) ? command => command : Containers.SecretMasking.MaskCommand;
        return gate.RunAsync(Caller, ImageInspect, engine, image, async (client, ct) =>
            (IReadOnlyList<ImageLayer>)(await client.Images.GetImageHistoryAsync(image, ct))
                .Select(h => new ImageLayer(h.ID, new DateTimeOffset(h.Created.ToUniversalTime(), TimeSpan.Zero), shown(h.CreatedBy ?? ""), h.Size, h.Tags?.ToList() ?? [], string.IsNullOrEmpty(h.Comment) ? null : h.Comment))
                .ToList(), cancellationToken);
    }

    /// <summary>Gives an image another name; a malformed one is refused before any engine call.</summary>
    public Task TagAsync(string engine, string image, string newReference, CancellationToken cancellationToken = default)
    {
        if (ImageReference.Problem(newReference) is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        var (repository, tag) = ImageReference.SplitTag(newReference);
        return gate.RunAsync(Caller, ImageTag, engine, $"{image} as {newReference}", (client, ct) =>
            client.Images.TagImageAsync(image, new ImageTagParameters { RepositoryName = repository, Tag = tag ?? "latest" }, ct), cancellationToken);
    }

    /// <summary>Removes an image (or one of its tags); the engine's words when it refuses, e.g. an image in use.</summary>
    public Task RemoveAsync(string engine, string image, bool force, bool keepParents, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ImageRemove, engine, image, (client, ct) =>
            client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = force, NoPrune = keepParents }, ct), cancellationToken);

    /// <summary>Removes the dangling images of an engine and says how much space came back.</summary>
    public Task<PruneResult> PruneDanglingAsync(string engine, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Caller, ImagePrune, engine, "dangling images", async (client, ct) =>
        {
            var result = await client.Images.PruneImagesAsync(new ImagesPruneParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["dangling"] = new Dictionary<string, bool> { ["true"] = true } } }, ct);
            return new PruneResult(result.ImagesDeleted?.Count(d => !string.IsNullOrEmpty(d.Deleted)) ?? 0, (long)result.SpaceReclaimed);
        }, cancellationToken);

    /// <summary>Searches the engine's index (Docker Hub unless the engine is set up otherwise).</summary>
    public Task<IReadOnlyList<ImageSearchHit>> SearchAsync(string engine, string term, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            throw new OperationFailedException("Type something to search for.", OperationFailure.Invalid);
        }

        return gate.RunAsync(Caller, ImageSearch, engine, term, async (client, ct) =>
        {
            try
            {
                return (IReadOnlyList<ImageSearchHit>)(await client.Images.SearchImagesAsync(new ImagesSearchParameters { Term = term.Trim(), Limit = 25 }, ct))
                    .Select(h => new ImageSearchHit(h.Name, h.Description, h.StarCount, h.IsOfficial)).ToList();
            }
            catch (Docker.DotNet.DockerApiException e) when ((int)e.StatusCode >= 500)
            {
                throw new OperationFailedException($"The engine could not reach its image index: {EngineErrors.EngineMessage(e)}", OperationFailure.Refused);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Starts pulling <paramref name="reference"/> into <paramref name="engine"/> in the background, with per-layer
    /// progress. A malformed reference or a caller who may not pull is refused here, before any engine call.
    /// </summary>
    public Job StartPull(string engine, string reference, RegistryCredentials? credentials = null)
    {
        reference = reference.Trim();
        if (ImageReference.Problem(reference) is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        if (engines.Find(engine) is null)
        {
            throw new OperationFailedException($"There is no engine named '{engine}'.", OperationFailure.NotFound);
        }

        var who = Caller;
        gate.Authorize(who, ImagePull, engine, reference);
        var (repository, tag) = ImageReference.SplitTag(reference);
        var parameters = new ImagesCreateParameters { FromImage = repository, Tag = tag ?? (reference.Contains('@', StringComparison.Ordinal) ? null : "latest") };
        var auth = Auth(reference, credentials);
        return jobs.Start("pull", $"Pull {reference}", engine, who, operation =>
            gate.RunAsync(who, ImagePull, engine, reference, async (client, ct) =>
            {
                var progress = new EngineProgress(operation);
                await client.Images.CreateImageAsync(parameters, auth, progress, ct);
                progress.ThrowIfFailed();
                return $"Pulled {reference}.";
            }, operation.Cancellation));
    }

    /// <summary>Starts pushing a local image to its registry in the background, with per-layer progress; credentials go as <c>X-Registry-Auth</c>.</summary>
    public Job StartPush(string engine, string reference, RegistryCredentials? credentials = null)
    {
        reference = reference.Trim();
        if (ImageReference.Problem(reference) is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        var who = Caller;
        gate.Authorize(who, ImagePush, engine, reference);
        var (repository, tag) = ImageReference.SplitTag(reference);
        return jobs.Start("push", $"Push {reference}", engine, who, operation =>
            gate.RunAsync(who, ImagePush, engine, reference, async (client, ct) =>
            {
                var progress = new EngineProgress(operation);
                await client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag ?? "latest" }, Auth(reference, credentials), progress, ct);
                progress.ThrowIfFailed();
                changes.Changed($"{repository}:{tag ?? "latest"}");
                return $"Pushed {reference}.";
            }, operation.Cancellation));
    }

    /// <summary>Starts building from a Dockerfile written in the page (the context is the Dockerfile alone); the output streams into the operation.</summary>
    public Job StartBuild(string engine, string dockerfile, BuildRequest request)
    {
        if (string.IsNullOrWhiteSpace(dockerfile))
        {
            throw new OperationFailedException("Write a Dockerfile to build.", OperationFailure.Invalid);
        }

        var context = BuildRequest.ContextOf(dockerfile);
        return StartBuild(engine, request, _ => Task.FromResult<Stream>(context));
    }

    /// <summary>Starts building from a context tar on the server's disk, which is deleted once the build ends.</summary>
    public Job StartBuildFromFile(string engine, BuildRequest request, string contextTar)
    {
        try
        {
            var operation = StartBuild(engine, request, _ => Task.FromResult<Stream>(new FileStream(contextTar, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous)));
            _ = operation.Completion.ContinueWith(_ => File.Delete(contextTar), TaskScheduler.Default);
            return operation;
        }
        catch
        {
            File.Delete(contextTar);
            throw;
        }
    }

    /// <summary>
    /// Starts a build whose context tar <paramref name="openContext"/> supplies (it may be an upload still arriving:
    /// it is streamed to the engine as it comes). Cancelling the operation stops the build.
    /// </summary>
    public Job StartBuild(string engine, BuildRequest request, Func<CancellationToken, Task<Stream>> openContext)
    {
        request.Validate();
        var who = Caller;
        var title = request.Tags.Count > 0 ? $"Build {string.Join(", ", request.Tags)}" : "Build (untagged)";
        gate.Authorize(who, ImageBuild, engine, title);
        return jobs.Start("build", title, engine, who, operation =>
            gate.RunAsync(who, ImageBuild, engine, title, async (client, ct) =>
            {
                var progress = new EngineProgress(operation);
                // Not disposed here: an upload's request body belongs to its request.
                var context = await openContext(ct);
                await client.Images.BuildImageFromDockerfileAsync(request.ToParameters(), context, [], new Dictionary<string, string>(), progress, ct);
                progress.ThrowIfFailed();
                return request.Tags.Count > 0 ? $"Built {string.Join(", ", request.Tags)}." : "Built.";
            }, operation.Cancellation));
    }

    /// <summary>The Dockerfile instructions a commit may apply.</summary>
    public static readonly IReadOnlyList<string> CommitInstructions = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR"];

    /// <summary>
    /// Makes an image of a container's current filesystem (<c>repository[:tag]</c>, message, author, and
    /// Dockerfile-style changes such as <c>CMD ["sh"]</c> or <c>ENV A=1</c>, one per line); returns the new image's id.
    /// </summary>
    public Task<string> CommitAsync(string engine, string container, string reference, string? message, string? author, string? changes, bool pause = true, CancellationToken cancellationToken = default)
    {
        reference = reference.Trim();
        if (ImageReference.Problem(reference) is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        var lines = (changes ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.FirstOrDefault(l => !CommitInstructions.Contains(l.Split(' ', 2)[0].ToUpperInvariant())) is { } bad)
        {
            throw new OperationFailedException($"'{bad}' is not a change a commit can apply (use {string.Join(", ", CommitInstructions)}).", OperationFailure.Invalid);
        }

        var (repository, tag) = ImageReference.SplitTag(reference);
        var who = Caller;
        var title = $"Commit {container[..Math.Min(12, container.Length)]} as {reference}";
        gate.Authorize(who, ContainerCommit, engine, title);
        return jobs.RunAndWaitAsync("commit", title, engine, who, async (_, token) =>
        {
            var id = await gate.RunAsync(who, ContainerCommit, engine, $"{container} as {reference}", async (client, ct) =>
                (await client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters
                {
                    ContainerID = container,
                    RepositoryName = repository,
                    Tag = tag ?? "latest",
                    Comment = string.IsNullOrWhiteSpace(message) ? null : message.Trim(),
                    Author = string.IsNullOrWhiteSpace(author) ? null : author.Trim(),
                    Changes = lines,
                    Pause = pause,
                }, ct)).ID, token);
            return (id, $"Committed as {reference} ({id[..Math.Min(19, id.Length)]}).");
        }, cancellationToken);
    }

    /// <summary>Cancels a background operation; only someone who may run it on its engine may cancel it.</summary>
    public void Cancel(Job operation)
    {
        var what = OperationOf(operation);
        if (!Jobs.JobRunner.MaySee(Caller, operation))
        {
            throw new OperationDeniedException(what, operation.Engine);
        }

        gate.Authorize(Caller, what, AppOperations.All.Contains(what) ? AppOperations.Scope : operation.Engine, operation.Title);
        operation.RequestCancel();
    }

    private static AuthConfig Auth(string reference, RegistryCredentials? credentials) =>
        credentials is null ? new AuthConfig() : new AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = ImageReference.Registry(reference) };

    private static Operation OperationOf(Job operation) => operation.Kind switch
    {
        "pull" => ImagePull,
        "push" => ImagePush,
        "build" => ImageBuild,
        "commit" => ContainerCommit,
        "save" => ImageSave,
        "load" => ImageLoad,
        "copy" => AppOperations.RegistryPush,
        _ => throw new OperationFailedException($"'{operation.Kind}' operations cannot be cancelled.", OperationFailure.Invalid),
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static ImageInfo Info(string engine, string id, IEnumerable<string>? tags, IEnumerable<string>? digests, long size, DateTime created, int containers) =>
        new(engine, id, tags?.Where(t => t != "<none>:<none>").Order(StringComparer.Ordinal).ToList() ?? [], digests?.Where(d => d != "<none>@<none>").ToList() ?? [], size, new DateTimeOffset(created.ToUniversalTime(), TimeSpan.Zero), containers);
}
