namespace DockerDash.Data;

/// <summary>Where DockerDash keeps what must survive: <c>DockerDash:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "DockerDash:Database";

    /// <summary><see cref="DatabaseProvider.Sqlite"/> (default: a file in the data folder) or <see cref="DatabaseProvider.PostgreSQL"/>, which several replicas can share.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For PostgreSQL an Npgsql connection string (required); for SQLite optional (default: <c>dockerdash.db</c> in the data folder).</summary>
    public string? ConnectionString { get; set; }

    public static DatabaseOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}
