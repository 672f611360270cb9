using DockerDash.Operations;
using DockerDash.Registries;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// The Docker Hub client against a local server that answers with the response shapes Docker Hub
/// documents (these machines cannot reach Docker Hub itself).
/// </summary>
public sealed class DockerHubClientTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_docker_hub_registry_lists_its_namespace_and_tags_through_the_service()
    {
        using var server = new FakeHttpServer(Answer);
        var registries = fixture.App.As<RegistryService>();
        var hub = await registries.SaveAsync(new RegistryForm(0, TestRig.UniqueName("hub"), server.Address.ToString(), "tester", "access-token", Kind: RegistryKind.DockerHub, Namespace: "team"));

        var catalog = await registries.CatalogAsync(hub.Id, null, 0, 10);
        var tags = await registries.TagsAsync(hub.Id, "team/web", null, 0, 10);
        var details = await registries.HubTagDetailsAsync(hub.Id, "team/web");

        Assert.Equal("docker.io", hub.Host);
        Assert.Equal(["team/api", "team/secret", "team/web"], catalog.Names);
        Assert.Equal(["1.2"], tags.Names);
        Assert.Equal(2, Assert.Single(details).Images.Count);
    }

    private static (int, string) Answer(System.Net.HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        var authorized = request.Headers["Authorization"] == "Bearer hub-token";
        return path switch
        {
            "/v2/users/login" => (200, """{"token":"hub-token"}"""),
            "/v2/namespaces/team/repositories" when request.QueryString["page"] is null => (200,
                """{"count":3,"next":"/v2/namespaces/team/repositories?page_size=100&page=2","previous":null,"results":[{"name":"web","namespace":"team","description":"the site","star_count":3,"pull_count":1200,"last_updated":"2026-11-01T10:00:00Z","is_private":false},{"name":"api","namespace":"team","description":null,"star_count":0,"pull_count":5,"last_updated":"2026-10-01T10:00:00Z","is_private":false}]}"""),
            "/v2/namespaces/team/repositories" => (200,
                """{"count":3,"next":null,"previous":"/v2/namespaces/team/repositories?page_size=100","results":[{"name":"secret","namespace":"team","description":"private","star_count":0,"pull_count":1,"last_updated":null,"is_private":true}]}"""),
            "/v2/namespaces/team/repositories/web/tags" => (200,
                """{"count":1,"next":null,"results":[{"name":"1.2","digest":"sha256:aaa","full_size":12345,"last_updated":"2026-11-02T10:00:00Z","images":[{"architecture":"amd64","os":"linux","variant":null,"digest":"sha256:bbb","size":6000,"status":"active"},{"architecture":"arm64","os":"linux","variant":"v8","digest":"sha256:ccc","size":6345,"status":"active"}]}]}"""),
            "/v2/namespaces/team/repositories/private/tags" when !authorized => (401, """{"message":"authentication required"}"""),
            "/v2/search/repositories/" => (200,
                """{"count":1,"next":null,"results":[{"repo_name":"nginx","short_description":"Official build of Nginx.","star_count":20000,"is_official":true,"pull_count":1000000000}]}"""),
            _ => (404, """{"message":"not found"}"""),
        };
    }

    [Fact]
    public async Task A_next_page_on_another_host_is_refused_and_never_gets_the_login_token()
    {
        using var elsewhere = new FakeHttpServer(_ => new FakeAnswer(200, """{"count":0,"next":null,"results":[]}"""), host: "localhost");
        using var server = new FakeHttpServer(request => request.Url!.AbsolutePath == "/v2/users/login"
            ? new FakeAnswer(200, """{"token":"hub-token"}""")
            : new FakeAnswer(200, $$"""{"count":2,"next":"{{elsewhere.Address}}v2/namespaces/team/repositories?page=2","results":[{"name":"web","namespace":"team"}]}"""));
        using var http = new HttpClient();
        var hub = new DockerHubClient(http, server.Address, "tester", "access-token");
        await hub.LoginAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => hub.RepositoriesAsync("team", CancellationToken.None));

        Assert.Contains("another host: not followed", refused.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_namespaces_repositories_are_read_across_pages_after_a_login()
    {
        using var server = new FakeHttpServer(Answer);
        using var http = new HttpClient();
        var hub = new DockerHubClient(http, server.Address, "tester", "access-token");

        await hub.LoginAsync(CancellationToken.None);
        var repositories = await hub.RepositoriesAsync("team", CancellationToken.None);

        Assert.Equal(["web", "api", "secret"], repositories.Select(r => r.Name));
        Assert.True(repositories[2].IsPrivate);
        Assert.Equal(1200, repositories[0].Pulls);
        Assert.Contains(server.Requests, r => r.StartsWith("POST /v2/users/login", StringComparison.Ordinal));
        Assert.All(server.Requests.Where(r => r.StartsWith("GET", StringComparison.Ordinal)), r => Assert.EndsWith("Bearer hub-token", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tags_carry_one_image_per_architecture_and_search_finds_official_images()
    {
        using var server = new FakeHttpServer(Answer);
        using var http = new HttpClient();
        var hub = new DockerHubClient(http, server.Address, null, null);

        var tag = Assert.Single(await hub.TagsAsync("team", "web", CancellationToken.None));
        var hit = Assert.Single(await hub.SearchAsync("nginx", CancellationToken.None));

        Assert.Equal("1.2", tag.Name);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], tag.Images.Select(i => i.Platform));
        Assert.True(hit.Official);
        Assert.Equal("nginx", hit.Name);
    }

    [Fact]
    public async Task A_private_repository_without_a_login_says_credentials_are_wanted()
    {
        using var server = new FakeHttpServer(Answer);
        using var http = new HttpClient();
        var hub = new DockerHubClient(http, server.Address, null, null);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => hub.TagsAsync("team", "private", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<OperationFailedException>(() => hub.TagsAsync("team", "nothing", CancellationToken.None));

        Assert.StartsWith("Docker Hub wants credentials", error.Message, StringComparison.Ordinal);
        Assert.Equal(OperationFailure.NotFound, missing.Failure);
    }
}
