using System.Text;
using System.Text.Json;
using DockerDash.Operations;
using DockerDash.Registries;
using DockerDash.Data;
using DockerDash.Testing;
using Microsoft.EntityFrameworkCore;

namespace DockerDash.IntegrationTests;

/// <summary>Registries against real docker-registry processes: open, htpasswd (bcrypt) and deletion disabled.</summary>
public sealed class RegistryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private RegistryService Registries() => fixture.App.As<RegistryService>();

    private async Task<RegistryView> AddAsync(string host, string? user = null, string? password = null) =>
        await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("reg"), $"http://{host}", user, password));

    private static string Repo(string name) => $"dd/{name}-{TestRig.RunId}";

    [Fact]
    public async Task The_catalog_follows_pages_of_1000_to_every_one_of_2100_repositories()
    {
        var prefix = $"paged-{TestRig.RunId}";
        using var pusher = new RegistryPusher(TestRig.Registry);
        var base_ = $"{prefix}/base";
        var (manifest, _, _) = await pusher.ImageAsync(base_, "amd64", "paging layer", "1");
        using var doc = JsonDocument.Parse(manifest);
        var blobs = new[] { doc.RootElement.GetProperty("config").GetProperty("digest").GetString()!, doc.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()! };
        await Parallel.ForEachAsync(Enumerable.Range(0, 2099), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var repository = $"{prefix}/r{i:D4}";
            foreach (var blob in blobs)
            {
                await pusher.MountAsync(repository, base_, blob);
            }

            await pusher.ManifestAsync(repository, "1", "application/vnd.oci.image.manifest.v1+json", manifest);
        });
        var registry = await AddAsync(TestRig.Registry);

        var all = await Registries().CatalogAsync(registry.Id, prefix, 0, 10_000);
        var page = await Registries().CatalogAsync(registry.Id, prefix + "/r01", 0, 50);

        Assert.Equal(2100, all.Total);
        Assert.Equal(2100, all.Names.Distinct().Count());
        Assert.Equal(100, page.Total);
        Assert.Equal(50, page.Names.Count);
        Assert.Equal($"{prefix}/r0100", page.Names[0]);
    }

    [Fact]
    public async Task A_pushed_tag_shows_its_config_layers_history_and_pull_command()
    {
        var repository = Repo("single");
        using var pusher = new RegistryPusher(TestRig.Registry);
        var (_, digest, _) = await pusher.ImageAsync(repository, "amd64", "single platform layer", "v1");
        await pusher.ManifestAsync(repository, "v2", "application/vnd.oci.image.manifest.v1+json", (await pusher.ImageAsync(repository, "amd64", "second layer")).Json);
        var registry = await AddAsync(TestRig.Registry);

        var tags = await Registries().TagsAsync(registry.Id, repository, null, 0, 10, descending: true);
        var detail = await Registries().TagAsync(registry.Id, repository, "v1");

        Assert.Equal(["v2", "v1"], tags.Names);
        Assert.Equal(digest, detail.Digest);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", detail.MediaType);
        Assert.Empty(detail.Platforms);
        var image = detail.Image!;
        Assert.Equal("amd64", image.Architecture);
        Assert.Contains("ARCH=amd64", image.Env);
        Assert.Equal(["sh"], image.Cmd);
        Assert.Equal("dockerdash", image.Labels["team"]);
        Assert.Equal(["8080/tcp"], image.ExposedPorts);
        Assert.Equal(Encoding.UTF8.GetByteCount("single platform layer"), Assert.Single(image.Layers).Size);
        Assert.Equal("COPY amd64 /", Assert.Single(image.History).CreatedBy);
        Assert.Equal($"docker pull {TestRig.Registry}/{repository}:v1", detail.PullCommand);
    }

    [Fact]
    public async Task A_two_platform_index_shows_each_platform_and_skips_attestations()
    {
        var repository = Repo("multi");
        using var pusher = new RegistryPusher(TestRig.Registry);
        var amd = await pusher.ImageAsync(repository, "amd64", "amd64 layer");
        var arm = await pusher.ImageAsync(repository, "arm64", "arm64 layer");
        var index = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = new object[]
            {
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = amd.Digest, size = amd.Size, platform = new { os = "linux", architecture = "amd64" } },
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = arm.Digest, size = arm.Size, platform = new { os = "linux", architecture = "arm64", variant = "v8" } },
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = amd.Digest, size = amd.Size, platform = new { os = "unknown", architecture = "unknown" }, annotations = new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest" } },
            },
        });
        var indexDigest = await pusher.ManifestAsync(repository, "multi", "application/vnd.oci.image.index.v1+json", index);
        var registry = await AddAsync(TestRig.Registry);

        var detail = await Registries().TagAsync(registry.Id, repository, "multi");

        Assert.Equal(indexDigest, detail.Digest);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], detail.Platforms.Select(p => p.Platform));
        Assert.Equal("arm64", detail.Platforms[1].Detail!.Architecture);
        Assert.Contains("ARCH=arm64", detail.Platforms[1].Detail!.Env);
        Assert.Null(detail.Image);
    }

    [Fact]
    public async Task Deleting_a_tag_by_digest_removes_every_tag_of_that_digest()
    {
        var repository = Repo("delete");
        using var pusher = new RegistryPusher(TestRig.Registry);
        var (json, digest, _) = await pusher.ImageAsync(repository, "amd64", "to be deleted", "a");
        await pusher.ManifestAsync(repository, "b", "application/vnd.oci.image.manifest.v1+json", json);
        await pusher.ImageAsync(repository, "amd64", "to be kept", "keep");
        var registry = await AddAsync(TestRig.Registry);

        Assert.Equal(["a", "b"], await Registries().TagsOfDigestAsync(registry.Id, repository, digest));
        var deleted = await Registries().DeleteTagAsync(registry.Id, repository, "a");

        Assert.Equal(digest, deleted);
        Assert.Equal(["keep"], (await Registries().TagsAsync(registry.Id, repository, null, 0, 10)).Names);
    }

    [Fact]
    public async Task Deleting_where_deletion_is_disabled_says_so()
    {
        var repository = Repo("nodelete");
        using var pusher = new RegistryPusher(TestRig.RegistryNoDelete);
        await pusher.ImageAsync(repository, "amd64", "cannot delete me", "v1");
        var registry = await AddAsync(TestRig.RegistryNoDelete);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().DeleteTagAsync(registry.Id, repository, "v1"));

        Assert.Equal("Deletion is disabled on this registry (storage.delete.enabled).", error.Message);
    }

    [Fact]
    public async Task Basic_auth_works_with_the_right_password_and_each_failure_has_its_own_message()
    {
        var repository = Repo("basic");
        using var pusher = new RegistryPusher(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword);
        await pusher.ImageAsync(repository, "amd64", "behind basic auth", "v1");
        var good = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword);
        var wrong = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, "not-the-password");
        var none = await AddAsync(TestRig.RegistryBasic);

        var status = await Registries().StatusAsync(good.Id);
        var tags = await Registries().TagsAsync(good.Id, repository, null, 0, 10);
        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().TagsAsync(wrong.Id, repository, null, 0, 10));
        var anonymous = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().TagsAsync(none.Id, repository, null, 0, 10));

        Assert.Equal("Basic", status.AuthScheme);
        Assert.Equal(["v1"], tags.Names);
        Assert.Equal("The registry refused these credentials (401).", refused.Message);
        Assert.StartsWith("This registry needs credentials", anonymous.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engine_checks_the_saved_credentials_through_its_auth_endpoint()
    {
        var good = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword);
        var wrong = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, "not-the-password");

        var ok = await Registries().CheckEngineLoginAsync(good.Id, "rig");
        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CheckEngineLoginAsync(wrong.Id, "rig"));

        Assert.Equal($"Engine rig logged in to {TestRig.RegistryBasic} as {TestRig.RegistryUser}.", ok);
        Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_secret_is_encrypted_at_rest_and_never_given_back()
    {
        var registry = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword);

        await using var db = await fixture.App.Get<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        var stored = await db.Registries.SingleAsync(r => r.Id == registry.Id);
        var listed = (await Registries().ListAsync()).Single(r => r.Id == registry.Id);

        Assert.NotNull(stored.ProtectedSecret);
        Assert.DoesNotContain(TestRig.RegistryPassword, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.True(listed.HasSecret);
        Assert.DoesNotContain(typeof(RegistryView).GetProperties(), p => p.Name.Contains("Secret", StringComparison.Ordinal) && p.PropertyType == typeof(string));

        var kept = await Registries().SaveAsync(new RegistryForm(registry.Id, registry.Name, registry.Url, registry.Username, Password: null));
        Assert.True(kept.HasSecret);
        Assert.Equal("Basic", (await Registries().StatusAsync(registry.Id)).AuthScheme);
    }

    [Fact]
    public async Task A_layer_downloads_as_its_exact_bytes()
    {
        var repository = Repo("layer");
        using var pusher = new RegistryPusher(TestRig.Registry);
        var (json, _, _) = await pusher.ImageAsync(repository, "amd64", "the exact layer bytes", "v1");
        var layer = JsonDocument.Parse(json).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        var registry = await AddAsync(TestRig.Registry);

        using var response = await Registries().OpenLayerAsync(registry.Id, repository, layer);

        Assert.Equal("the exact layer bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bad_address_is_refused_and_an_unreachable_registry_says_so()
    {
        var bad = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().SaveAsync(new RegistryForm(0, "bad", "ftp://x", null, null)));
        var unreachable = await AddAsync($"127.0.0.1:{WebhookReceiver.FreePort()}");

        var status = await Registries().StatusAsync(unreachable.Id);

        Assert.Equal("'ftp://x' is not a registry address (write https://host[:port]).", bad.Message);
        Assert.False(status.Reachable);
        Assert.StartsWith("Cannot reach", status.Message, StringComparison.Ordinal);
    }
}

/// <summary>Copying (promoting) images within a registry and to another one.</summary>
public sealed class RegistryCopyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private RegistryService Registries() => fixture.App.As<RegistryService>();

    private async Task<RegistryView> AddAsync(string host, string? user = null, string? password = null) =>
        await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("reg"), $"http://{host}", user, password));

    [Fact]
    public async Task A_copy_within_a_registry_mounts_the_blobs()
    {
        var repository = $"dd/copy-src-{TestRig.RunId}";
        using var pusher = new RegistryPusher(TestRig.Registry);
        var (_, digest, _) = await pusher.ImageAsync(repository, "amd64", "mounted, not uploaded", "v1");
        var registry = await AddAsync(TestRig.Registry);

        var copied = await Registries().CopyAsync(registry.Id, repository, "v1", registry.Id, $"dd/copy-dst-{TestRig.RunId}", "promoted");

        Assert.Equal(digest, copied);
        var operation = fixture.App.Get<DockerDash.Jobs.JobRunner>().All.First(o => o.Kind == "copy");
        Assert.Equal(2, operation.Layers.Count);
        Assert.All(operation.Layers, l => Assert.StartsWith("Mounted from", l.Status, StringComparison.Ordinal));
        Assert.Equal(digest, (await Registries().TagAsync(registry.Id, $"dd/copy-dst-{TestRig.RunId}", "promoted")).Digest);
    }

    [Fact]
    public async Task A_copy_to_another_registry_uploads_the_blobs_and_the_engine_pulls_the_copy()
    {
        var reference = $"{TestRig.Registry}/dd/engine-src-{TestRig.RunId}:1";
        var images = fixture.App.As<DockerDash.Images.ImageService>();
        await images.TagAsync("rig", TestRig.Image, reference);
        var push = images.StartPush("rig", reference);
        await push.Completion;
        Assert.True(push.State == DockerDash.Jobs.JobState.Succeeded, push.Outcome);
        var from = await AddAsync(TestRig.Registry);
        var to = await AddAsync(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword);

        await Registries().CopyAsync(from.Id, $"dd/engine-src-{TestRig.RunId}", "1", to.Id, $"dd/engine-dst-{TestRig.RunId}", "copied");

        var operation = fixture.App.Get<DockerDash.Jobs.JobRunner>().All.First(o => o.Kind == "copy");
        Assert.Contains(operation.Layers, l => l.Status == "Pushed");
        var pull = images.StartPull("rig", $"{TestRig.RegistryBasic}/dd/engine-dst-{TestRig.RunId}:copied", new DockerDash.Images.RegistryCredentials(TestRig.RegistryUser, TestRig.RegistryPassword));
        await pull.Completion;
        Assert.True(pull.State == DockerDash.Jobs.JobState.Succeeded, pull.Outcome);
    }
}

/// <summary>A registry with token auth: tokens per scope from the test issuer, reused; each failure its own message.</summary>
public sealed class TokenRegistryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private RegistryService Registries() => fixture.App.As<RegistryService>();

    private async Task<(RegistryView Registry, string Repository)> ArrangeAsync(string name, string? password = TestRig.RegistryPassword)
    {
        var repository = $"dd/{name}-{TestRig.RunId}";
        using (var pusher = RegistryPusher.WithToken(TestRig.RegistryToken, TokenIssuer.Shared.TokenFor(repository)))
        {
            await pusher.ImageAsync(repository, "amd64", $"{name} behind tokens", "v1");
        }

        var registry = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("token"), $"http://{TestRig.RegistryToken}", password is null ? null : TestRig.RegistryUser, password));
        return (registry, repository);
    }

    [Fact]
    public async Task Tokens_are_fetched_per_scope_and_reused_until_they_expire()
    {
        var (registry, repository) = await ArrangeAsync("tokens");
        var before = TokenIssuer.Shared.Issued;

        var status = await Registries().StatusAsync(registry.Id);
        var first = await Registries().TagsAsync(registry.Id, repository, null, 0, 10);
        var afterFirst = TokenIssuer.Shared.Issued;
        await Registries().TagAsync(registry.Id, repository, "v1");
        await Registries().TagAsync(registry.Id, repository, "v1");

        Assert.Equal("Bearer", status.AuthScheme);
        Assert.Equal(["v1"], first.Names);
        Assert.True(afterFirst > before);
        Assert.Equal(afterFirst, TokenIssuer.Shared.Issued);
    }

    [Fact]
    public async Task A_wrong_password_an_expired_token_and_a_missing_scope_each_say_what_is_wrong()
    {
        var (wrong, repository) = await ArrangeAsync("failures", password: "not-the-password");
        var good = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("token"), $"http://{TestRig.RegistryToken}", TestRig.RegistryUser, TestRig.RegistryPassword));
        try
        {
            var refused = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => Registries().TagsAsync(wrong.Id, repository, null, 0, 10));

            TokenIssuer.Shared.Lifetime = -120;
            var expired = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => Registries().TagsAsync(good.Id, repository, null, 0, 10));
            TokenIssuer.Shared.Lifetime = 300;

            TokenIssuer.Shared.Grant = (user, name, actions) => name == repository ? [] : actions;
            var scope = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => Registries().TagAsync(good.Id, repository, "v1"));

            Assert.Equal("The registry's token service refused these credentials.", refused.Message);
            Assert.StartsWith("The registry did not accept the token", expired.Message, StringComparison.Ordinal);
            Assert.Equal($"These credentials lack the permission repository:{repository}:pull on this registry.", scope.Message);
        }
        finally
        {
            TokenIssuer.Shared.Lifetime = 300;
            TokenIssuer.Shared.Grant = (user, _, actions) => user is null ? [] : actions;
        }
    }
}
