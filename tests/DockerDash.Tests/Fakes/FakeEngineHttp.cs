using System.Net;
using System.Text.Json;
using Docker.DotNet;

namespace DockerDash.Tests.Fakes;

/// <summary>
/// The engine's plain HTTP API for component tests: <c>containers/ID/json</c> answered from the same
/// <see cref="FakeDockerClient.Answer"/> as <c>Containers.InspectContainerAsync</c>; anything else is a 404.
/// </summary>
public sealed class FakeEngineHttp(FakeDockerClient docker) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        if (segments is [_, "containers", var id, "json"])
        {
            switch (docker.Answer("Containers.InspectContainerAsync", [Uri.UnescapeDataString(id)]))
            {
                case DockerApiException refused:
                    return Task.FromResult(Respond(refused.StatusCode, refused.ResponseBody ?? ""));
                case { } inspected:
                    return Task.FromResult(Respond(HttpStatusCode.OK, JsonSerializer.Serialize(inspected, inspected.GetType())));
            }
        }

        return Task.FromResult(Respond(HttpStatusCode.NotFound, """{"message":"not faked"}"""));
    }

    private static HttpResponseMessage Respond(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
}
