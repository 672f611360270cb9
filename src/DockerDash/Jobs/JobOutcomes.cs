using DockerDash.Data;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Jobs;

/// <summary>How a job ended, kept in the database so that the jobs panel still shows it after a restart, on any replica.</summary>
public sealed class JobOutcome
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    public string Title { get; set; } = "";

    public string Engine { get; set; } = "";

    public string Owner { get; set; } = "";

    public string OwnerKey { get; set; } = "";

    public DateTimeOffset Started { get; set; }

    public DateTimeOffset Finished { get; set; }

    public JobState State { get; set; }

    public string Outcome { get; set; } = "";
}

/// <summary>
/// Writes every job's outcome when it ends (on the replica it ran on), and at start-up puts the latest
/// <see cref="JobRunner.KeepFinished"/> outcomes back into the jobs panel; older ones are deleted as new ones come, and a
/// dismissed one at once.
/// </summary>
public sealed class JobOutcomes(JobRunner jobs, IDbContextFactory<DashboardDbContext> databases, ILogger<JobOutcomes> logger) : IHostedService
{
    /// <summary>How many outcomes the database keeps: a few pages' worth beyond what the panel shows.</summary>
    public const int Kept = 500;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var latest = await db.JobOutcomes.AsNoTracking().OrderByDescending(o => o.Finished).Take(JobRunner.KeepFinished).ToListAsync(cancellationToken);
            foreach (var outcome in latest.AsEnumerable().Reverse())
            {
                jobs.Mirror(
                    new JobSnapshot(outcome.Id, outcome.Kind, outcome.Title, outcome.Engine, outcome.Owner, outcome.OwnerKey, outcome.Started, outcome.Finished, outcome.State, outcome.Outcome, null, [], []),
                    "earlier",
                    _ => { });
            }
        }

        jobs.Ended += OnEnded;
        jobs.Dismissed += OnDismissed;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        jobs.Ended -= OnEnded;
        jobs.Dismissed -= OnDismissed;
        return Task.CompletedTask;
    }

    private void OnEnded(Job job) => _ = StoreAsync(job);

    private void OnDismissed(Guid id) => _ = ForgetAsync(id);

    private async Task ForgetAsync(Guid id)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            await db.JobOutcomes.Where(o => o.Id == id).ExecuteDeleteAsync();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning("Could not forget job {Id}: {Error}", id, e.Message);
        }
    }

    private async Task StoreAsync(Job job)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            db.JobOutcomes.Add(new JobOutcome
            {
                Id = job.Id,
                Kind = job.Kind,
                Title = Cut(job.Title, 500),
                Engine = Cut(job.Engine, 200),
                Owner = Cut(job.Owner, 200),
                OwnerKey = Cut(job.OwnerKey, 300),
                Started = job.Started,
                Finished = job.Finished ?? job.Started,
                State = job.State,
                Outcome = Cut(job.Outcome ?? "", 2000),
            });
            await db.SaveChangesAsync();
            var cutoff = await db.JobOutcomes.OrderByDescending(o => o.Finished).Skip(Kept).Select(o => (DateTimeOffset?)o.Finished).FirstOrDefaultAsync();
            if (cutoff is { } oldest)
            {
                await db.JobOutcomes.Where(o => o.Finished <= oldest).ExecuteDeleteAsync();
            }
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning("Could not store how job {Title} ended: {Error}", job.Title, e.Message);
        }
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
