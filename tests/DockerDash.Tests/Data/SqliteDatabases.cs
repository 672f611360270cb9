using DockerDash.Data;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.Tests.Data;

/// <summary>Contexts on one SQLite file, as the server makes them (its compiled model included).</summary>
public sealed class SqliteDatabases(string path) : IDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext() => new(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite($"Data Source={path}").Options);
}
