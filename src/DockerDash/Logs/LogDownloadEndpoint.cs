using DockerDash.Containers;
using DockerDash.Operations;

namespace DockerDash.Logs;

/// <summary><c>GET /containers/{engine}/{id}/logs/download</c>: the whole log as a text file, streamed from the engine through the gate.</summary>
public static class LogDownloadEndpoint
{
    public static string PathFor(ContainerKey key, bool timestamps) =>
        $"/containers/{Uri.EscapeDataString(key.Engine)}/{Uri.EscapeDataString(key.Id)}/logs/download?timestamps={(timestamps ? "true" : "false")}";

    public static IEndpointRouteBuilder MapLogDownload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/containers/{engine}/{id}/logs/download", async (string engine, string id, bool? timestamps, HttpContext http, LogService logs) =>
        {
            var key = new ContainerKey(engine, id);
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{EndpointFailures.SafeFileName(id)}-logs.txt\"";
            await logs.WriteAllAsync(key, http.Response.Body, timestamps ?? true, http.RequestAborted);
        }).RequireAuthorization();
        return endpoints;
    }
}
