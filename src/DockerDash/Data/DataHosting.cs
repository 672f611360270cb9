using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DockerDash.Data;

/// <summary>
/// DockerDash's own data, wired in one call: the folder (<c>DockerDash:DataDirectory</c>, default <c>./data</c>,
/// the owner's alone), console recordings in its <c>recordings/</c>, the database (<see cref="DatabaseOptions"/>:
/// SQLite in the folder, or PostgreSQL) reached through <see cref="IDbContextFactory{TContext}"/> (a context per
/// operation), and the Data Protection key ring (files beside SQLite; in PostgreSQL, shared by replicas).
/// Migrations are applied at start-up, by one replica at a time (<see cref="Replicas.ReplicaLocks"/>).
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
        var database = DatabaseOptions.From(configuration);
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            var connection = string.IsNullOrWhiteSpace(database.ConnectionString)
                ? throw new InvalidOperationException($"{DatabaseOptions.SectionName}:Provider is PostgreSQL: set {DatabaseOptions.SectionName}:ConnectionString (e.g. Host=db;Database=dockerdash;Username=dockerdash;Password=...).")
                : database.ConnectionString;
            services.AddDbContextFactory<DashboardDbContext, PostgresContexts>(o => o.UseNpgsql(connection));
        }
        else
        {
            var file = database.ConnectionString is { Length: > 0 } given ? given : $"Data Source={Path.Combine(data, "dockerdash.db")}";
            services.AddDbContextFactory<DashboardDbContext>(o => o.UseSqlite(file));
        }

        // For ASP.NET Core Identity's stores only, which take a context from the scope: DockerDash's own code
        // uses the factory, and account operations open a scope of their own (AccountService).
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContext());

        // First of all hosted services: the key ring (in PostgreSQL, a table) is read as soon as Data Protection's starts.
        services.AddHostedService<DatabaseMigration>();
        services.AddKeyRing(data, database.Provider, configuration);
        services.AddSingleton(sp => new Terminals.TerminalRecordings(
            Path.Combine(data, "recordings"), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Terminals.TerminalOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}

/// <summary>Contexts on PostgreSQL: the model of <see cref="DashboardDbContext"/> with PostgreSQL's migrations.</summary>
public sealed class PostgresContexts(DbContextOptions<DashboardDbContext> options) : IDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext() => new PostgresDashboardDbContext(options);
}

/// <summary>Applies the database migrations before anything else starts, then keeps the new files the owner's alone.</summary>
public sealed class DatabaseMigration(IDbContextFactory<DashboardDbContext> databases, Replicas.ReplicaLocks locks) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Replicas starting together: one migrates, the others then find nothing left to do.
        await using var oneAtATime = await locks.OneAtATimeAsync("migration", cancellationToken);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await CreateHistoryTableAsync(db, cancellationToken);
        }

        if (await AnyPendingAsync(db, cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            PrivateDataFolder.Secure(folder);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Whether a migration is yet to be applied, read with one query. EF Core's own check builds a model of its history
    /// table by its conventions: the model-building code the compiled models (<c>Data/CompiledModels</c>) spare a server
    /// restarted on its database would be loaded and compiled for that check alone.
    /// </summary>
    private static async Task<bool> AnyPendingAsync(DashboardDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken))
        {
            return true;
        }

        var applied = await db.Database.SqlQueryRaw<string>(AppliedSql).ToListAsync(cancellationToken);
        return db.GetService<IMigrationsAssembly>().Migrations.Keys.Except(applied, StringComparer.Ordinal).Any();
    }

    private const string AppliedSql = "SELECT \"MigrationId\" AS \"Value\" FROM \"" + HistoryRepository.DefaultTableName + "\"";

    /// <summary>
    /// On a new PostgreSQL database EF Core reads its history table before creating it and logs the failure as an
    /// error (npgsql/efcore.pg#3407): created first, a first start logs nothing alarming.
    /// </summary>
    private static Task<int> CreateHistoryTableAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
}
