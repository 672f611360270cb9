using System.Net;
using System.Text;
using DockerDash.Registries;

namespace DockerDash.Tests.Registries;

public sealed class ManifestReaderTests
{
    /// <summary>Answers like a registry whose index names a child manifest it does not have (distribution refuses to store such an index, other registries do not).</summary>
    private sealed class IndexWithMissingChild : HttpMessageHandler
    {
        public const string Index = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":10,"platform":{"os":"linux","architecture":"amd64"}}]}""";

        public List<string> Accepts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Accepts.Add(string.Join(", ", request.Headers.Accept.Select(a => a.MediaType)));
            var path = request.RequestUri!.AbsolutePath;
            var response = path.EndsWith("/manifests/multi", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Index, Encoding.UTF8, "application/vnd.oci.image.index.v1+json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""") };
            response.Headers.TryAddWithoutValidation("Docker-Content-Digest", "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Index))));
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task A_platform_whose_manifest_is_missing_is_shown_with_the_problem_not_fatal()
    {
        using var handler = new IndexWithMissingChild();
        using var http = new HttpClient(handler);
        var client = new RegistryClient(http, new Uri("http://registry.test"), null, null, TimeProvider.System);

        var detail = await ManifestReader.ReadAsync(client, "registry.test", "team/app", "multi", "podman", CancellationToken.None);

        var platform = Assert.Single(detail.Platforms);
        Assert.Equal("linux/amd64", platform.Platform);
        Assert.Null(platform.Detail);
        Assert.Equal("This platform's manifest is not in the registry.", platform.Problem);
        Assert.Equal("podman pull registry.test/team/app:multi", detail.PullCommand);
        Assert.All(handler.Accepts, a => Assert.Contains("application/vnd.docker.distribution.manifest.list.v2+json", a, StringComparison.Ordinal));
    }
}
