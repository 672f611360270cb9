using DockerDash.Data;
using DockerDash.Replicas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DockerDash.Tests.Data;

/// <summary>
/// Start-up's migration step on SQLite files: a new database gets every migration, one left behind by an older version
/// gets what it lacks, and an up-to-date one is left as it is (the step reads the applied migrations itself).
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

    private Task StartAsync() => new DatabaseMigration(_databases, new ReplicaLocks(new DatabaseOptions())).StartAsync(CancellationToken.None);
}
