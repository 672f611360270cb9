using DockerDash.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DockerDash.Tests.Data;

/// <summary>
/// The server runs on compiled models (<c>Data/CompiledModels</c>, from <c>dotnet ef dbcontext optimize</c>): a model
/// changed in <see cref="DashboardDbContext.OnModelCreating"/> without optimising again would run on the old one unseen.
/// Each provider's compiled model is compared with the model its conventions build now, and the migrations' last snapshot
/// with that model. Either out of date: <c>src/DockerDash/Data/model-changed NAME</c> writes the migrations and models.
/// </summary>
public class CompiledModelTests
{
    public static TheoryData<string> Providers => ["SQLite", "PostgreSQL"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_compiled_model_is_the_model_the_context_describes(string provider)
    {
        using var db = Context(provider);
        var compiled = db.Model;
        var described = db.GetService<IDesignTimeModel>().Model;

        Assert.IsAssignableFrom<Microsoft.EntityFrameworkCore.Metadata.RuntimeModel>(compiled);
        // Entities, properties, keys and relations; then the tables and columns they map to (names, types, sizes, indexes).
        Assert.Equal(described.ToDebugString(MetadataDebugStringOptions.IncludePropertyIndexes), compiled.ToDebugString(MetadataDebugStringOptions.IncludePropertyIndexes));
        Assert.Equal(described.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.IncludePropertyIndexes), compiled.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.IncludePropertyIndexes));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_migrations_make_the_model_the_context_describes(string provider)
    {
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run src/DockerDash/Data/model-changed NAME.");
    }

    private static DashboardDbContext Context(string provider) => provider == "SQLite"
        ? new DesignTimeFactory().CreateDbContext([])
        : new PostgresDesignTimeFactory().CreateDbContext([]);
}
