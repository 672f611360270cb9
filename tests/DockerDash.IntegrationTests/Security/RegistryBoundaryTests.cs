using System.Net;
using System.Security.Cryptography;
using System.Text;
using DockerDash.Operations;
using DockerDash.Registries;
using DockerDash.Security;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// A registry's saved credentials go only to that registry's own /v2/ paths, whatever a caller names or a
/// hostile registry answers (issue 11, items 1, 4, 5 and 13). The hostile registries are local HTTP servers;
/// a second "host" is the same machine under the name localhost.
/// </summary>
public sealed class RegistryBoundaryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string BasicChallenge = "Basic realm=\"hostile\"";

    private RegistryService Registries() => fixture.App.As<RegistryService>();

    private async Task<RegistryView> AddAsync(Uri address) =>
        await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("hostile"), address.GetLeftPart(UriPartial.Authority), "saved-user", "saved-password"));

    /// <summary>A registry that wants Basic credentials and then answers with <paramref name="authorised"/>.</summary>
    private static FakeHttpServer BasicRegistry(Func<HttpListenerRequest, FakeAnswer> authorised, string host = "127.0.0.1") =>
        new(request => request.Headers["Authorization"] is null
            ? new FakeAnswer(401, "{}", new Dictionary<string, string> { ["WWW-Authenticate"] = BasicChallenge })
            : authorised(request), host: host);

    private static FakeHttpServer Elsewhere() => new(_ => new FakeAnswer(200, "{\"repositories\":[],\"tags\":[]}"), host: "localhost");

    [Fact]
    public async Task A_viewer_token_cannot_walk_a_layer_download_out_of_v2_with_the_saved_credentials()
    {
        using var registry = BasicRegistry(_ => new FakeAnswer(200, "secret admin data"));
        var saved = await AddAsync(registry.Address);
        using var http = new HttpClient { BaseAddress = fixture.App.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await fixture.TokenAsync(DashboardRole.Viewer));

        using var traversal = await http.GetAsync(new Uri($"/registries/{saved.Id}/layer?repository=x&digest=../../../internal/admin/users", UriKind.Relative));
        using var encoded = await http.GetAsync(new Uri($"/registries/{saved.Id}/layer?repository=..%2F..%2Finternal&digest=sha256:{new string('a', 64)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.Contains("is not a digest", await traversal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);
        Assert.Contains("is not a repository name", await encoded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(registry.Requests);
    }

    [Theory]
    [InlineData("../admin", "v1")]
    [InlineData("team/app", "../../../internal")]
    [InlineData("team/app", "v1?x=1")]
    [InlineData("Team/App", "v1")]
    [InlineData("team//app", "v1")]
    [InlineData("team/app", "sha256:../../x")]
    public async Task Names_outside_the_distribution_grammar_are_refused_before_any_request(string repository, string reference)
    {
        using var registry = BasicRegistry(_ => new FakeAnswer(200, "{}"));
        var saved = await AddAsync(registry.Address);

        var tag = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().TagAsync(saved.Id, repository, reference));
        var tags = await Assert.ThrowsAnyAsync<OperationFailedException>(() => Registries().TagsAsync(saved.Id, repository == "team/app" ? "../x" : repository, null, 0, 10));
        var delete = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().DeleteTagAsync(saved.Id, repository, reference));

        Assert.All([tag, tags, delete], e => Assert.Equal(OperationFailure.Invalid, e.Failure));
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task A_next_page_link_to_another_host_is_refused_and_gets_no_credentials()
    {
        using var other = Elsewhere();
        using var registry = BasicRegistry(_ => new FakeAnswer(200, "{\"repositories\":[\"a\"]}",
            new Dictionary<string, string> { ["Link"] = $"<{other.Address}v2/_catalog?last=a&n=1000>; rel=\"next\"" }));
        var saved = await AddAsync(registry.Address);

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CatalogAsync(saved.Id, null, 0, 10));

        Assert.Contains("outside its own address", refused.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_next_page_link_that_loops_back_stops_with_a_message()
    {
        using var registry = BasicRegistry(_ => new FakeAnswer(200, "{\"repositories\":[\"a\"]}",
            new Dictionary<string, string> { ["Link"] = "</v2/_catalog?last=a&n=1000>; rel=\"next\"" }));
        var saved = await AddAsync(registry.Address);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CatalogAsync(saved.Id, null, 0, 10, timeout.Token));

        Assert.Contains("points back to a page already read", refused.Message, StringComparison.Ordinal);
        Assert.True(registry.Requests.Count < 10, $"{registry.Requests.Count} requests");
    }

    [Fact]
    public async Task A_token_realm_on_another_plain_http_host_never_gets_the_saved_password()
    {
        using var other = Elsewhere();
        using var registry = new FakeHttpServer(_ => new FakeAnswer(401, "{}",
            new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"{other.Address}token\",service=\"hostile\"" }));
        var saved = await AddAsync(registry.Address);

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().TagsAsync(saved.Id, "team/app", null, 0, 10));

        Assert.Contains("not sent there", refused.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_redirect_of_a_manifest_to_another_host_is_not_followed()
    {
        using var other = Elsewhere();
        using var registry = BasicRegistry(_ => new FakeAnswer(307, "", new Dictionary<string, string> { ["Location"] = $"{other.Address}steal" }));
        var saved = await AddAsync(registry.Address);

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().TagAsync(saved.Id, "team/app", "v1"));

        Assert.Contains("not its own address", refused.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task An_upload_location_on_another_host_stops_a_copy_before_any_byte_or_credential_goes_there()
    {
        var repository = $"dd/boundary-src-{TestRig.RunId}";
        using (var pusher = new RegistryPusher(TestRig.Registry))
        {
            await pusher.ImageAsync(repository, "amd64", "boundary layer " + TestRig.RunId, "v1");
        }

        using var other = Elsewhere();
        using var target = BasicRegistry(request => request.HttpMethod switch
        {
            "HEAD" => new FakeAnswer(404, ""),
            "POST" => new FakeAnswer(202, "", new Dictionary<string, string> { ["Location"] = $"{other.Address}v2/upload/1" }),
            _ => new FakeAnswer(500, "{}"),
        });
        var source = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("open"), $"http://{TestRig.Registry}", null, null));
        var hostile = await AddAsync(target.Address);

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CopyAsync(source.Id, repository, "v1", hostile.Id, "team/app", "v1"));

        Assert.Contains("outside its own address", refused.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_copy_from_an_index_naming_a_tag_as_child_cannot_overwrite_that_tag_in_the_target()
    {
        var victim = $"dd/boundary-victim-{TestRig.RunId}";
        using var pusher = new RegistryPusher(TestRig.Registry);
        var (_, before, _) = await pusher.ImageAsync(victim, "amd64", "the real production image", "prod");
        var child = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + new string('0', 64) + "\",\"size\":2},\"layers\":[]}"));
        var index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"prod\",\"size\":" + child.Length + "}]}";
        using var source = new FakeHttpServer(request => request.Url!.AbsolutePath.EndsWith("/manifests/v1", StringComparison.Ordinal)
            ? new FakeAnswer(200, index, new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.index.v1+json" })
            : new FakeAnswer(200, child, new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.manifest.v1+json" }));
        var hostile = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("hostile-src"), source.Address.GetLeftPart(UriPartial.Authority), null, null));
        var target = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("open"), $"http://{TestRig.Registry}", null, null));

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CopyAsync(hostile.Id, "evil/index", "v1", target.Id, victim, "copied"));

        Assert.Contains("'prod' is not a digest", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await Registries().TagAsync(target.Id, victim, "prod")).Digest);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_its_digest_stops_the_copy()
    {
        var real = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + new string('0', 64) + "\",\"size\":2},\"layers\":[]}";
        var claimed = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(real)));
        var index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + claimed + "\",\"size\":10}]}";
        using var source = new FakeHttpServer(request => request.Url!.AbsolutePath.EndsWith("/manifests/v1", StringComparison.Ordinal)
            ? new FakeAnswer(200, index, new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.index.v1+json" })
            : new FakeAnswer(200, real.Replace("\"layers\":[]", "\"layers\":[ ]", StringComparison.Ordinal), new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.manifest.v1+json" }));
        var hostile = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("hostile-src"), source.Address.GetLeftPart(UriPartial.Authority), null, null));
        var target = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("open"), $"http://{TestRig.Registry}", null, null));

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CopyAsync(hostile.Id, "evil/index", "v1", target.Id, $"dd/boundary-altered-{TestRig.RunId}", "v1"));

        Assert.Contains("altered or corrupt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_not_copied()
    {
        var layer = Encoding.UTF8.GetBytes("the layer as it should be");
        var layerDigest = RegistryPusher.Digest(layer);
        var config = Encoding.UTF8.GetBytes("{}");
        var configDigest = RegistryPusher.Digest(config);
        var manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.Length + "}]}";
        using var source = new FakeHttpServer(request => request.Url!.AbsolutePath switch
        {
            var path when path.EndsWith("/manifests/v1", StringComparison.Ordinal) => new FakeAnswer(200, manifest, new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.manifest.v1+json" }),
            var path when path.EndsWith(configDigest, StringComparison.Ordinal) => new FakeAnswer(200, "{}"),
            _ => new FakeAnswer(200, "a different layer, with a backdoor", new Dictionary<string, string> { ["Content-Type"] = "application/octet-stream" }),
        });
        var hostile = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("hostile-src"), source.Address.GetLeftPart(UriPartial.Authority), null, null));
        var target = await Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("open"), $"http://{TestRig.Registry}", null, null));
        var repository = $"dd/boundary-blob-{TestRig.RunId}";

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().CopyAsync(hostile.Id, "evil/image", "v1", target.Id, repository, "v1"));

        Assert.Contains("altered or corrupt", refused.Message, StringComparison.Ordinal);
        using var probe = new HttpClient();
        using var head = await probe.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"http://{TestRig.Registry}/v2/{repository}/blobs/{layerDigest}")));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("http://169.254.169.254")]
    [InlineData("http://[fe80::1]:5000")]
    public async Task Link_local_registry_and_webhook_addresses_are_refused(string address)
    {
        var registry = await Assert.ThrowsAsync<OperationFailedException>(() => Registries().SaveAsync(new RegistryForm(0, TestRig.UniqueName("metadata"), address, null, null)));
        var webhook = await Assert.ThrowsAsync<OperationFailedException>(() => fixture.App.As<DockerDash.Alerts.AlertService>().SaveWebhookAsync(
            new DockerDash.Alerts.AlertWebhook { Name = TestRig.UniqueName("metadata"), Url = address + "/latest/meta-data" }));

        Assert.Contains("link-local", registry.Message, StringComparison.Ordinal);
        Assert.Contains("link-local", webhook.Message, StringComparison.Ordinal);
    }
}
