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

        var applied = await AppliedAsync(db, cancellationToken);
        if (applied is null && db.Database.IsSqlite())
        {
            await CreateSqliteAsync(db, cancellationToken);
        }
        else if (applied is null || db.GetService<IMigrationsAssembly>().Migrations.Keys.Except(applied, StringComparer.Ordinal).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            PrivateDataFolder.Secure(folder);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The migrations applied, read with one query; null without a history table (a new database).</summary>
    /// <remarks>
    /// EF Core's own check builds a model of its history table by its conventions: the model-building code the compiled
    /// models (<c>Data/CompiledModels</c>) spare a server restarted on its database would be loaded and compiled for that
    /// check alone.
    /// </remarks>
    private static async Task<List<string>?> AppliedAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken)
            ? await db.Database.SqlQueryRaw<string>(AppliedSql).ToListAsync(cancellationToken)
            : null;

    private const string AppliedSql = "SELECT \"MigrationId\" AS \"Value\" FROM \"" + HistoryRepository.DefaultTableName + "\"";

    /// <summary>The SQL script of every migration that EF Core writes (<c>Data/Migrations/new-database.sql</c>), embedded.</summary>
    internal static async Task<string> NewSqliteDatabaseScriptAsync(CancellationToken cancellationToken = default)
    {
        const string name = "DockerDash.Data.Migrations.new-database.sql";
        await using var resource = typeof(DatabaseMigration).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The build left out {name}.");
        using var reader = new StreamReader(resource);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>
    /// A new SQLite database gets every migration at once from the script EF Core writes for them, history rows and a
    /// transaction per migration included (<c>model-changed</c> writes it again; DatabaseMigrationTests checks that it is
    /// current and makes the same tables as the migrator). The migrator would build each migration's model at run time to
    /// apply it: code that then stays loaded for the life of the process (16 MB of an idle server's memory) and takes
    /// about a second and a half of a first start. An older database, and PostgreSQL's, get the migrator.
    /// Like EF Core's own database creation, it first puts the file in write-ahead-log mode: readers then never block the
    /// writer, nor it them (in the default rollback-journal mode, a write could fail with "database is locked" while a page
    /// read the same tables).
    /// </summary>
    private static async Task CreateSqliteAsync(DashboardDbContext db, CancellationToken cancellationToken)
    {
        var script = await NewSqliteDatabaseScriptAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode = 'wal';\n" + script;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// On a new PostgreSQL database EF Core reads its history table before creating it and logs the failure as an
    /// error (npgsql/efcore.pg#3407): created first, a first start logs nothing alarming.
    /// </summary>
    private static Task<int> CreateHistoryTableAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
}
