using Npgsql;

namespace DockerDash.Testing;

/// <summary>Databases of their own on the rig's PostgreSQL, one per app (or per group of replicas), dropped afterwards.</summary>
public static class TestDatabases
{
    private static int _counter;

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public static async Task<string> CreateAsync()
    {
        var name = $"dd_{TestRig.RunId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(TestRig.Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, ending whatever sessions are still open in it.</summary>
    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>
    /// Ends the sessions holding advisory locks in the database of <paramref name="connectionString"/>, as PostgreSQL
    /// does when their client's machine dies; returns how many it ended.
    /// </summary>
    public static async Task<int> EndAdvisoryLockHoldersAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = await OwnerAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = @name",
            connection);
        command.Parameters.AddWithValue("name", name);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = await OwnerAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rig's owner on its <c>postgres</c> database, unpooled: for making, dropping and watching databases.</summary>
    private static async Task<NpgsqlConnection> OwnerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestRig.Postgres) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>What a replica starts with to share <paramref name="database"/> and the rig's Redis with the others.</summary>
    public static string[] ReplicaSettings(string database) =>
    [
        "--DockerDash:Database:Provider=PostgreSQL",
        $"--DockerDash:Database:ConnectionString={database}",
        $"--DockerDash:Redis:Configuration={TestRig.Redis}",
    ];
}
