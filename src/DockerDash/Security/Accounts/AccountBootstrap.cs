using System.Security.Cryptography;
using DockerDash.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Security.Accounts;

/// <summary>
/// At start-up (after <see cref="DatabaseMigration"/>): while no user exists, creates <c>admin</c>
/// from <c>DockerDash:Bootstrap:AdminPassword</c> or writes a one-time setup token to the log.
/// There is never a default password.
/// </summary>
public sealed class AccountBootstrap(IServiceProvider services, SetupState setup, Replicas.ReplicaLocks locks, IConfiguration configuration, ILogger<AccountBootstrap> logger) : IHostedService
{
    public const string AdminUserName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Replicas starting together on a new database: one makes the admin, the others then find it.
        await using var oneAtATime = await locks.OneAtATimeAsync("bootstrap", cancellationToken);
        using var scope = services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        if (configuration["DockerDash:Bootstrap:AdminPassword"] is { Length: > 0 } password)
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var created = await accounts.CreateAsync(AdminUserName, password, [new GrantSpec(DashboardClaims.AllScopes, DashboardRole.Admin)]);
            if (created.Error is { } error)
            {
                throw new InvalidOperationException($"DockerDash__Bootstrap__AdminPassword cannot be used: {error}");
            }

            logger.LogInformation("Created user '{User}' from DockerDash:Bootstrap:AdminPassword.", AdminUserName);
            return;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        setup.Require(token);
        logger.LogWarning("No user exists yet. Open /setup and enter this one-time setup token to create the first admin: {SetupToken}", token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
