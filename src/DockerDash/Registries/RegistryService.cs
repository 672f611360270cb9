using System.Collections.Concurrent;
using DockerDash.Operations;
using DockerDash.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using DockerDash.Callers;

namespace DockerDash.Registries;

/// <summary>A registry as pages see it: never its secret, only whether one is saved.</summary>
public sealed record RegistryView(int Id, string Name, string Url, RegistryKind Kind, string? Username, bool HasSecret, string PullTool, string Host, string? Namespace = null);

/// <summary>What the add / edit form sends. A null password keeps the saved one; an empty one removes it.</summary>
public sealed record RegistryForm(int Id, string Name, string Url, string? Username, string? Password, string PullTool = "docker", RegistryKind Kind = RegistryKind.Distribution, string? Namespace = null);

/// <summary>
/// The registries DockerDash knows and everything read from or done to them, through the gate
/// (<c>registry.read</c>, <c>registry.delete</c>, <c>registry.manage</c>). Secrets are encrypted at rest with
/// ASP.NET Data Protection and never returned. Catalogs and tag lists are fetched whole (following pages) and
/// kept for a few seconds, so that searching and paging them is served from memory.
/// </summary>
public sealed class RegistryService(
    OperationGate gate, IDbContextFactory<DashboardDbContext> databases, IHttpClientFactory httpClients,
    RegistryClients clients, Jobs.JobRunner jobs, CallerContext caller, TagChanges changes)
{
    public const string HttpClientName = "registries";
    public static readonly IReadOnlyList<string> PullTools = ["docker", "podman", "nerdctl"];
    private static readonly TimeSpan ListLifetime = TimeSpan.FromSeconds(30);

    private Caller Caller => caller.Current;

    public Task<IReadOnlyList<RegistryView>> ListAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.RegistryRead, null, async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return (IReadOnlyList<RegistryView>)(await db.Registries.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Select(View).ToList();
        }, cancellationToken);

    public Task<RegistryView> SaveAsync(RegistryForm form, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.RegistryManage, $"registry {form.Name}", async ct =>
        {
            var url = Validated(form);
            await using var db = await databases.CreateDbContextAsync(ct);
            var entry = form.Id == 0 ? new RegistryEntry() : await db.Registries.FindAsync([form.Id], ct) ?? throw new OperationFailedException("That registry is gone.", OperationFailure.NotFound);
            if (await db.Registries.AnyAsync(r => r.Name == form.Name.Trim() && r.Id != form.Id, ct))
            {
                throw new OperationFailedException($"A registry named {form.Name.Trim()} exists already.", OperationFailure.Invalid);
            }

            entry.Name = form.Name.Trim();
            entry.Url = url;
            entry.Username = string.IsNullOrWhiteSpace(form.Username) ? null : form.Username.Trim();
            entry.PullTool = form.PullTool;
            entry.Kind = form.Kind;
            entry.Namespace = string.IsNullOrWhiteSpace(form.Namespace) ? null : form.Namespace.Trim();
            if (form.Password is not null)
            {
                entry.ProtectedSecret = form.Password.Length == 0 ? null : clients.Protect(form.Password);
            }

            if (form.Id == 0)
            {
                db.Registries.Add(entry);
            }

            await db.SaveChangesAsync(ct);
            clients.Forget(entry.Id);
            return View(entry);
        }, cancellationToken);

    public Task RemoveAsync(int id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.RegistryManage, $"registry {id}", async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            await db.Registries.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
            clients.Forget(id);
            return true;
        }, cancellationToken);

    public Task<RegistryStatus> StatusAsync(int id, CancellationToken cancellationToken = default) =>
        ReadAsync(id, "status", (client, _, ct) => client.PingAsync(ct), cancellationToken);

    /// <summary>A page of the catalog, filtered (part of the name) and sorted on the server.</summary>
    public Task<NamePage> CatalogAsync(int id, string? filter, int skip, int take, CancellationToken cancellationToken = default) =>
        ReadAsync(id, "catalog", async (client, entry, ct) =>
            Page(await clients.CachedAsync((entry.Id, "catalog"), ListLifetime, () => entry.Kind == RegistryKind.DockerHub ? HubRepositoriesAsync(entry, ct) : client.CatalogAsync(ct)), filter, skip, take, descending: false), cancellationToken);

    /// <summary>A page of a repository's tags, filtered and sorted on the server (newest-looking versions first when descending).</summary>
    public Task<NamePage> TagsAsync(int id, string repository, string? filter, int skip, int take, bool descending = false, CancellationToken cancellationToken = default) =>
        ReadAsync(id, repository, async (client, entry, ct) =>
            Page(await clients.CachedAsync((entry.Id, "tags:" + repository), ListLifetime, () => entry.Kind == RegistryKind.DockerHub ? HubTagsAsync(entry, repository, ct) : client.TagsAsync(repository, ct)), filter, skip, take, descending), cancellationToken);

    /// <summary>Docker Hub's tags of a repository with the image of each architecture (its REST API; the registry API lists names only).</summary>
    public Task<IReadOnlyList<HubTag>> HubTagDetailsAsync(int id, string repository, CancellationToken cancellationToken = default) =>
        ReadAsync(id, repository, async (_, entry, ct) =>
        {
            var (space, name) = SplitHubName(entry, repository);
            return await (await HubAsync(entry, ct)).TagsAsync(space, name, ct);
        }, cancellationToken);

    private async Task<DockerHubClient> HubAsync(RegistryEntry entry, CancellationToken cancellationToken)
    {
        var hub = new DockerHubClient(httpClients.CreateClient(HttpClientName), new Uri(entry.Url), entry.Username, clients.Secret(entry));
        await hub.LoginAsync(cancellationToken);
        return hub;
    }

    private async Task<List<string>> HubRepositoriesAsync(RegistryEntry entry, CancellationToken cancellationToken)
    {
        var space = entry.Namespace ?? entry.Username ?? "library";
        return [.. (await (await HubAsync(entry, cancellationToken)).RepositoriesAsync(space, cancellationToken)).Select(r => $"{r.Namespace}/{r.Name}")];
    }

    private async Task<List<string>> HubTagsAsync(RegistryEntry entry, string repository, CancellationToken cancellationToken)
    {
        var (space, name) = SplitHubName(entry, repository);
        return [.. (await (await HubAsync(entry, cancellationToken)).TagsAsync(space, name, cancellationToken)).Select(t => t.Name)];
    }

    private static (string Namespace, string Name) SplitHubName(RegistryEntry entry, string repository) =>
        repository.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? (repository[..slash], repository[(slash + 1)..]) : (entry.Namespace ?? "library", repository);

    public Task<TagDetail> TagAsync(int id, string repository, string tag, CancellationToken cancellationToken = default) =>
        ReadAsync(id, $"{repository}:{tag}", (client, entry, ct) => ManifestReader.ReadAsync(client, entry.Host, repository, tag, entry.PullTool, ct), cancellationToken);

    /// <summary>A tag's digest, size and date for its row in the tags list (an index: every platform's size, its newest date).</summary>
    public async Task<TagSummary> TagSummaryAsync(int id, string repository, string tag, CancellationToken cancellationToken = default) =>
        TagSummary.Of(await TagAsync(id, repository, tag, cancellationToken));

    /// <summary>Most tags a date order reads: it needs every tag's manifest and config.</summary>
    public const int DateOrderLimit = 100;

    /// <summary>The tags newest first by their images' dates; refused above <see cref="DateOrderLimit"/> tags (filter first).</summary>
    public async Task<IReadOnlyList<TagSummary>> TagsByDateAsync(int id, string repository, string? filter, CancellationToken cancellationToken = default)
    {
        var names = await TagsAsync(id, repository, filter, 0, DateOrderLimit + 1, descending: false, cancellationToken);
        if (names.Total > DateOrderLimit)
        {
            throw new OperationFailedException($"{names.Total:N0} tags match: date order reads each tag's manifest, so it is offered up to {DateOrderLimit}. Filter the tags first.", OperationFailure.Invalid);
        }

        var summaries = new System.Collections.Concurrent.ConcurrentBag<TagSummary>();
        await Parallel.ForEachAsync(names.Names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (tag, ct) =>
        {
            try
            {
                summaries.Add(await TagSummaryAsync(id, repository, tag, ct));
            }
            catch (OperationFailedException e) when (e.Failure != OperationFailure.Denied)
            {
                summaries.Add(new TagSummary(tag, null, null, null, e.Message));
            }
        });
        return [.. summaries.OrderByDescending(t => t.Created ?? DateTimeOffset.MinValue).ThenBy(t => t.Tag, StringComparer.Ordinal)];
    }

    /// <summary>The tags of a repository that point at <paramref name="digest"/> (what a delete by digest takes with it); checks at most 200 tags.</summary>
    public Task<IReadOnlyList<string>> TagsOfDigestAsync(int id, string repository, string digest, CancellationToken cancellationToken = default) =>
        ReadAsync(id, $"{repository}@{digest}", async (client, _, ct) =>
        {
            var tags = await client.TagsAsync(repository, ct);
            var same = new List<string>();
            foreach (var tag in tags.Take(200))
            {
                if (await client.DigestAsync(repository, tag, ct) == digest)
                {
                    same.Add(tag);
                }
            }

            return (IReadOnlyList<string>)same.Order(StringComparer.Ordinal).ToList();
        }, cancellationToken);

    /// <summary>Deletes a tag's manifest by digest: every tag pointing at that digest goes with it. Space returns only with the registry's garbage collection.</summary>
    public Task<string> DeleteTagAsync(int id, string repository, string tag, CancellationToken cancellationToken = default) =>
        RunAsync(id, AppOperations.RegistryDelete, $"{repository}:{tag}", async (client, entry, ct) =>
        {
            var digest = await client.DigestAsync(repository, tag, ct);
            await client.DeleteManifestAsync(repository, digest, ct);
            clients.Forget(entry.Id, "tags:" + repository);
            return digest;
        }, cancellationToken);

    /// <summary>
    /// Copies (promotes) <paramref name="repository"/>:<paramref name="tag"/> to <paramref name="targetRepository"/>:<paramref name="targetTag"/>
    /// of the same or another registry, as an operation with per-blob progress; returns the copied digest.
    /// </summary>
    public async Task<string> CopyAsync(int sourceId, string repository, string tag, int targetId, string targetRepository, string targetTag, CancellationToken cancellationToken = default)
    {
        if (DockerDash.Images.ImageReference.Problem($"{targetRepository}:{targetTag}") is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        var who = Caller;
        var title = $"Copy {repository}:{tag} to {targetRepository}:{targetTag}";
        gate.Authorize(who, AppOperations.RegistryPush, AppOperations.Scope, title);
        gate.Authorize(who, AppOperations.RegistryRead, AppOperations.Scope, title);
        var (source, sourceEntry) = await ClientAsync(sourceId, cancellationToken);
        var (target, targetEntry) = await ClientAsync(targetId, cancellationToken);
        var digest = await jobs.RunAndWaitAsync("copy", title, targetEntry.Name, who, async (operation, ct) =>
        {
            var same = sourceEntry.Id == targetEntry.Id || string.Equals(sourceEntry.Url, targetEntry.Url, StringComparison.OrdinalIgnoreCase);
            var copied = await gate.RunAppAsync(who, AppOperations.RegistryPush, title, token =>
                new RegistryCopy(source, repository, target, targetRepository, same, operation).CopyAsync(tag, targetTag, token), ct);
            return (copied, $"Copied to {targetEntry.Host}/{targetRepository}:{targetTag} ({copied[..Math.Min(19, copied.Length)]}).");
        }, cancellationToken);
        clients.Forget(targetEntry.Id, "catalog");
        clients.Forget(targetEntry.Id, "tags:" + targetRepository);
        changes.Changed($"{targetEntry.Host}/{targetRepository}:{targetTag}");
        return digest;
    }

    /// <summary>Asks <paramref name="engine"/> to log in to the registry with its saved credentials (<c>POST /auth</c>): the engine's answer, or its refusal.</summary>
    public async Task<string> CheckEngineLoginAsync(int id, string engine, CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, EngineOperations.EngineRegistryLogin, engine, $"registry {id}");
        gate.Authorize(Caller, AppOperations.RegistryRead, AppOperations.Scope, $"registry {id}");
        var (_, entry) = await ClientAsync(id, cancellationToken);
        return await gate.RunAsync(Caller, EngineOperations.EngineRegistryLogin, engine, entry.Host, async (client, ct) =>
        {
            var auth = new Docker.DotNet.Models.AuthConfig
            {
                ServerAddress = entry.Host,
                Username = entry.Username,
                Password = clients.Secret(entry),
            };
            await client.System.AuthenticateAsync(auth, ct);
            return $"Engine {engine} logged in to {entry.Host}{(entry.Username is null ? " anonymously" : $" as {entry.Username}")}.";
        }, cancellationToken);
    }

    /// <summary>A layer's bytes, streamed (the caller disposes the response).</summary>
    public Task<HttpResponseMessage> OpenLayerAsync(int id, string repository, string digest, CancellationToken cancellationToken = default) =>
        ReadAsync(id, $"{repository}@{digest}", (client, _, ct) => client.OpenBlobAsync(repository, digest, ct), cancellationToken);

    private Task<T> ReadAsync<T>(int id, string target, Func<RegistryClient, RegistryEntry, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(id, AppOperations.RegistryRead, target, read, cancellationToken);

    private async Task<(RegistryClient Client, RegistryEntry Entry)> ClientAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var entry = await db.Registries.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new OperationFailedException("There is no such registry (any more).", OperationFailure.NotFound);
        return (clients.For(entry), entry);
    }

    private Task<T> RunAsync<T>(int id, Operation operation, string target, Func<RegistryClient, RegistryEntry, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        gate.RunAppAsync(Caller, operation, target, async ct =>
        {
            var (client, entry) = await ClientAsync(id, ct);
            try
            {
                return await call(client, entry, ct);
            }
            catch (HttpRequestException e)
            {
                throw new OperationFailedException($"Cannot reach {entry.Name} ({entry.Url}): {e.Message}", OperationFailure.Unreachable);
            }
        }, cancellationToken);

    private static NamePage Page(List<string> names, string? filter, int skip, int take, bool descending)
    {
        var matching = names.Where(n => string.IsNullOrWhiteSpace(filter) || n.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase));
        var sorted = (descending ? matching.OrderByDescending(n => n, StringComparer.Ordinal) : matching.Order(StringComparer.Ordinal)).ToList();
        return new NamePage(sorted.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 10_000)).ToList(), sorted.Count);
    }

    private static string Validated(RegistryForm form)
    {
        if (string.IsNullOrWhiteSpace(form.Name))
        {
            throw new OperationFailedException("A registry needs a name.", OperationFailure.Invalid);
        }

        var text = form.Kind == RegistryKind.DockerHub && string.IsNullOrWhiteSpace(form.Url) ? DockerHubClient.DefaultAddress.ToString() : form.Url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath.Trim('/').Length > 0)
        {
            throw new OperationFailedException($"'{form.Url}' is not a registry address (write https://host[:port]).", OperationFailure.Invalid);
        }

        if (DockerDash.Outbound.OutboundHttp.Problem(url) is { } refused)
        {
            throw new OperationFailedException(refused, OperationFailure.Invalid);
        }

        if (!PullTools.Contains(form.PullTool))
        {
            throw new OperationFailedException($"Pull commands can start with {string.Join(", ", PullTools)}.", OperationFailure.Invalid);
        }

        return url.GetLeftPart(UriPartial.Authority);
    }

    private static RegistryView View(RegistryEntry r) => new(r.Id, r.Name, r.Url, r.Kind, r.Username, r.ProtectedSecret is not null, r.PullTool, r.Host, r.Namespace);
}

/// <summary>
/// One client per registry (so its tokens are reused), and the short-lived lists read through them. Saved secrets
/// are encrypted at rest with ASP.NET Data Protection and decrypted here only to authenticate.
/// </summary>
public sealed class RegistryClients(IHttpClientFactory httpClients, IDataProtectionProvider protection, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, (RegistryClient Client, string Stamp)> _clients = new();
    private readonly ConcurrentDictionary<string, RegistryClient> _anonymous = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(int Registry, string List), (List<string> Names, DateTimeOffset Until)> _lists = new();

    private IDataProtector Protector => protection.CreateProtector("DockerDash.Registries.Secret");

    public string Protect(string secret) => Protector.Protect(secret);

    /// <summary>The saved secret in clear, to authenticate with; null when none is saved.</summary>
    public string? Secret(RegistryEntry entry) => entry.ProtectedSecret is null ? null : Protector.Unprotect(entry.ProtectedSecret);

    /// <summary>The client of a saved registry, with its saved credentials.</summary>
    public RegistryClient For(RegistryEntry entry)
    {
        var stamp = $"{entry.Url}|{entry.Username}|{entry.ProtectedSecret}";
        return _clients.AddOrUpdate(entry.Id, _ => (Make(entry), stamp), (_, old) => old.Stamp == stamp ? old : (Make(entry), stamp)).Client;
    }

    /// <summary>An anonymous client of a registry DockerDash has no entry for (<paramref name="address"/>: scheme and authority).</summary>
    public RegistryClient Anonymous(Uri address) =>
        _anonymous.GetOrAdd(address.GetLeftPart(UriPartial.Authority), a => new RegistryClient(httpClients.CreateClient(RegistryService.HttpClientName), new Uri(a), null, null, time));

    private RegistryClient Make(RegistryEntry entry) =>
        new(httpClients.CreateClient(RegistryService.HttpClientName), new Uri(entry.RegistryUrl), entry.Username, Secret(entry), time);

    public async Task<List<string>> CachedAsync((int Registry, string List) key, TimeSpan lifetime, Func<Task<List<string>>> read)
    {
        if (_lists.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Names;
        }

        var names = await read();
        _lists[key] = (names, time.GetUtcNow() + lifetime);
        return names;
    }

    public void Forget(int registry, string? list = null)
    {
        if (list is null)
        {
            _clients.TryRemove(registry, out _);
        }

        foreach (var key in _lists.Keys.Where(k => k.Registry == registry && (list is null || k.List == list)))
        {
            _lists.TryRemove(key, out _);
        }
    }
}
