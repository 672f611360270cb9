using Microsoft.EntityFrameworkCore;

namespace DockerDash.Data;

/// <summary>
/// DockerDash's own data, wired in one call: the folder (<c>DockerDash:DataDirectory</c>, default <c>./data</c>,
/// the owner's alone), console recordings in its <c>recordings/</c>, the SQLite database reached through <see cref="IDbContextFactory{TContext}"/> (a context per
/// operation), and the Data Protection key ring beside it. Migrations are applied at start-up.
/// </summary>
public static class DataHosting
{
    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration["DockerDash:DataDirectory"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, Directory.GetCurrentDirectory());
        return PrivateDataFolder.Secure(path);
    }

    public static IServiceCollection AddDashboardData(this IServiceCollection services, IConfiguration configuration)
    {
        var data = DataDirectory(configuration);
        services.AddDbContextFactory<DashboardDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(data, "dockerdash.db")}"));

        // For ASP.NET Core Identity's stores only, which take a context from the scope: DockerDash's own code
        // uses the factory, and account operations open a scope of their own (AccountService).
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContext());
        services.AddKeyRing(data, configuration);
        services.AddSingleton(sp => new Terminals.TerminalRecordings(
            Path.Combine(data, "recordings"), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Terminals.TerminalOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<DatabaseMigration>();
        return services;
    }
}

/// <summary>Applies the database migrations before anything else starts, then keeps the new files the owner's alone.</summary>
public sealed class DatabaseMigration(IDbContextFactory<DashboardDbContext> databases) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            PrivateDataFolder.Secure(folder);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
