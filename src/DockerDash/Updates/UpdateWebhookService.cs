using DockerDash.Callers;
using DockerDash.Containers;
using DockerDash.Data;
using DockerDash.Jobs;
using DockerDash.Operations;
using DockerDash.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DockerDash.Updates;

/// <summary>An Admin's form for a new redeploy webhook.</summary>
public sealed record UpdateWebhookForm(string Name, UpdateWebhookTarget Kind, string Engine, string Target);

/// <summary>A webhook just made: the only time its URL (path and secret) is known.</summary>
public sealed record CreatedUpdateWebhook(UpdateWebhook Webhook, string Path);

/// <summary>What a call of a webhook started: its job, and (when the caller waited) how it ended.</summary>
public sealed record UpdateWebhookCall(Guid Job, string State, string? Outcome);

/// <summary>
/// Redeploy webhooks: made, listed and revoked by Admins (<c>update.webhook.manage</c>), and called by CI with their secret
/// URL. A call runs the update as the webhook itself (Operator on its engine only, named "webhook &lt;name&gt;" in the audit and
/// the jobs panel), at most once per <see cref="UpdateOptions.WebhookMinInterval"/>.
/// </summary>
public sealed class UpdateWebhookService(
    OperationGate gate, CallerContext caller, IDbContextFactory<DashboardDbContext> databases, IServiceScopeFactory scopes, Engines.EngineDirectory engines,
    IOptions<UpdateOptions> options, TimeProvider time)
{
    public const string PathPrefix = "/hooks/updates";

    private Caller Caller => caller.Current;

    public async Task<IReadOnlyList<UpdateWebhook>> ListAsync(CancellationToken cancellationToken = default)
    {
        gate.Authorize(Caller, AppOperations.UpdateWebhookManage, AppOperations.Scope);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.UpdateWebhooks.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
    }

    public Task<CreatedUpdateWebhook> CreateAsync(UpdateWebhookForm form, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.UpdateWebhookManage, $"webhook {form.Name}", async ct =>
        {
            if (Problem(form) is { } problem)
            {
                throw new OperationFailedException(problem, OperationFailure.Invalid);
            }

            var secret = Secrets.New();
            var hook = new UpdateWebhook
            {
                Name = form.Name.Trim(),
                Kind = form.Kind,
                Engine = form.Engine,
                Target = form.Target.Trim(),
                SecretHash = Secrets.Hash(secret),
                CreatedBy = Caller.DisplayName,
                CreatedAt = time.GetUtcNow(),
            };
            await using var db = await databases.CreateDbContextAsync(ct);
            db.UpdateWebhooks.Add(hook);
            await db.SaveChangesAsync(ct);
            return new CreatedUpdateWebhook(hook, $"{PathPrefix}/{hook.Id}/{secret}");
        }, cancellationToken);

    public Task RevokeAsync(int id, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(Caller, AppOperations.UpdateWebhookManage, $"webhook {id}", async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.UpdateWebhooks.Where(h => h.Id == id && h.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(h => h.RevokedAt, time.GetUtcNow()), ct);
        }, cancellationToken);

    /// <summary>
    /// A call of webhook <paramref name="id"/> with <paramref name="secret"/> from <paramref name="remoteAddress"/>: null when no
    /// live webhook has that id and secret; a <see cref="TooSoonException"/> inside its minimum interval; else the started job.
    /// </summary>
    public async Task<UpdateWebhookCall?> CallAsync(int id, string secret, string? remoteAddress, bool wait, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var hook = await db.UpdateWebhooks.FirstOrDefaultAsync(h => h.Id == id && h.RevokedAt == null, cancellationToken);
        if (hook is null || !Secrets.Matches(hook.SecretHash, secret))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (hook.LastCalledAt is { } last && now - last < options.Value.WebhookMinInterval)
        {
            throw new TooSoonException(last + options.Value.WebhookMinInterval - now);
        }

        hook.LastCalledAt = now;
        await db.SaveChangesAsync(cancellationToken);

        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Current =
            Caller.Internal($"webhook:{hook.Id}", $"webhook {hook.Name}", hook.Engine, DashboardRole.Operator, remoteAddress);
        var updater = scope.ServiceProvider.GetRequiredService<ContainerUpdater>();
        var job = hook.Kind switch
        {
            UpdateWebhookTarget.Container => updater.UpdateContainer(new ContainerKey(hook.Engine, hook.Target)),
            UpdateWebhookTarget.Project => updater.UpdateProject(hook.Engine, hook.Target),
            _ => await updater.UpdateImageAsync(hook.Engine, hook.Target, cancellationToken),
        };
        _ = RecordOutcomeAsync(hook.Id, job);
        if (wait)
        {
            await job.Completion.WaitAsync(cancellationToken);
        }

        return new UpdateWebhookCall(job.Id, job.State.ToString().ToLowerInvariant(), job.Outcome);
    }

    private async Task RecordOutcomeAsync(int id, Job job)
    {
        await job.Completion;
        await using var db = await databases.CreateDbContextAsync();
        var outcome = $"{job.State}: {job.Outcome}";
        await db.UpdateWebhooks.Where(h => h.Id == id).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastOutcome, outcome.Length > 2000 ? outcome[..2000] : outcome));
    }

    private string? Problem(UpdateWebhookForm form) =>
        string.IsNullOrWhiteSpace(form.Name) ? "A webhook needs a name."
        : engines.Find(form.Engine) is null ? $"There is no engine named '{form.Engine}'."
        : string.IsNullOrWhiteSpace(form.Target) ? $"Name the {form.Kind.ToString().ToLowerInvariant()} it updates."
        : form.Kind == UpdateWebhookTarget.Image && Images.RegistryImageName.Parse(form.Target.Trim()) is null ? $"'{form.Target}' is not a tag reference (registry/repository:tag)."
        : null;

    /// <summary>The webhook was called again within its minimum interval.</summary>
    public sealed class TooSoonException(TimeSpan wait) : Exception($"Called again too soon: wait {Math.Ceiling(wait.TotalSeconds)} s.")
    {
        public TimeSpan Wait { get; } = wait;
    }
}
