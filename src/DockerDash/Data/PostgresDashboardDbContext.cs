using Microsoft.EntityFrameworkCore;

namespace DockerDash.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF Core keeps its migrations
/// (<c>Data/Migrations/PostgreSQL</c>) apart from SQLite's: code everywhere asks for a <see cref="DashboardDbContext"/>.
/// </summary>
public sealed class PostgresDashboardDbContext(DbContextOptions<DashboardDbContext> options) : DashboardDbContext(options);
