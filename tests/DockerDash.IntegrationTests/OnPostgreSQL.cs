using System.Runtime.CompilerServices;
using DockerDash.Data;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// The integration suite's apps keep their data in the rig's PostgreSQL (a database each, dropped with the app);
/// the end-to-end suite's in SQLite, the default. Between them, everything the app stores runs on both providers.
/// </summary>
internal static class OnPostgreSQL
{
    [ModuleInitializer]
    internal static void Initialize() => DashboardApp.DefaultDatabase = DatabaseProvider.PostgreSQL;
}
