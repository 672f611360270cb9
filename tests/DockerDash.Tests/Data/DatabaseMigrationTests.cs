using DockerDash.Data;
using DockerDash.Replicas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DockerDash.Tests.Data;

/// <summary>
/// Start-up's migration step on SQLite files: a new database gets every migration (from the script EF Core writes for
/// them, which must be current and make what the migrator makes), one left behind by an older version gets what it lacks,
/// and an up-to-date one is left as it is (the step reads the applied migrations itself).
/// </summary>
public sealed class DatabaseMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dockerdash-migration-").FullName;
    private readonly IDbContextFactory<DashboardDbContext> _databases;

    public DatabaseMigrationTests() => _databases = new SqliteDatabases(Path.Combine(_folder, "dockerdash.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_new_database_gets_every_migration_and_a_second_start_finds_nothing_to_do()
    {
        await StartAsync();
        await StartAsync();

        await using var db = await _databases.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_database_an_older_version_left_gets_the_migrations_it_lacks()
    {
        await using (var older = await _databases.CreateDbContextAsync())
        {
            var all = older.Database.GetMigrations().ToList();
            await older.GetService<IMigrator>().MigrateAsync(all[^2]);
            Assert.Equal([all[^1]], await older.Database.GetPendingMigrationsAsync());
        }

        await StartAsync();

        await using var db = await _databases.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_new_database_script_is_the_one_EF_Core_writes_for_every_migration_today()
    {
        await using var db = await _databases.CreateDbContextAsync();
        var current = db.GetService<IMigrator>().GenerateScript();

        // If this fails, the model changed without src/DockerDash/Data/model-changed.
        Assert.Equal(Lines(current), Lines(await DatabaseMigration.NewSqliteDatabaseScriptAsync()));
    }

    [Fact]
    public async Task A_new_database_from_the_script_has_the_tables_indexes_and_history_the_migrator_makes()
    {
        await StartAsync();
        IDbContextFactory<DashboardDbContext> migrated = new SqliteDatabases(Path.Combine(_folder, "migrated.db"));
        await using (var db = await migrated.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync();
        }

        Assert.Equal(await SchemaAsync(migrated), await SchemaAsync(_databases));
        Assert.NotEmpty(await SchemaAsync(_databases));

        // The migrator, which a later version's migrations will go through, takes it as up to date (and makes its lock table).
        await using var scripted = await _databases.CreateDbContextAsync();
        await scripted.GetService<IMigrator>().MigrateAsync();
        Assert.Empty(await scripted.Database.GetPendingMigrationsAsync());
        Assert.Equal(await SchemaAsync(migrated), await SchemaAsync(_databases));
    }

    private static string[] Lines(string script) => script.TrimStart('\uFEFF').ReplaceLineEndings("\n").TrimEnd().Split('\n');

    /// <summary>
    /// The journal mode (write-ahead log, which EF Core sets on a database it creates: readers and the writer do not block
    /// each other), every table, index and trigger with its SQL, and the history's migration ids (not the EF Core version
    /// that wrote them). Not the migrator's lock table, which it makes for itself whenever it runs (as it will on the next
    /// upgrade).
    /// </summary>
    private static async Task<List<string>> SchemaAsync(IDbContextFactory<DashboardDbContext> databases)
    {
        await using var db = await databases.CreateDbContextAsync();
        var objects = await db.Database.SqlQueryRaw<string>("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS \"Value\" FROM sqlite_master WHERE name <> '__EFMigrationsLock' ORDER BY type, name").ToListAsync();
        var history = await db.Database.SqlQueryRaw<string>("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\" ORDER BY 1").ToListAsync();
        var journal = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync();
        return ["journal_mode " + journal, .. objects, .. history];
    }

    private Task StartAsync() => new DatabaseMigration(_databases, new ReplicaLocks(new DatabaseOptions())).StartAsync(CancellationToken.None);
}
