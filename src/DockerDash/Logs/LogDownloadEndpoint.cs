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
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{SafeName(id)}-logs.txt\"";
            try
            {
                await logs.WriteAllAsync(key, http.Response.Body, timestamps ?? true, http.RequestAborted);
            }
            catch (EngineOperationException e) when (!http.Response.HasStarted)
            {
                http.Response.ContentType = "text/plain; charset=utf-8";
                http.Response.Headers.ContentDisposition = default;
                http.Response.StatusCode = e.Failure switch
                {
                    EngineFailure.Denied => StatusCodes.Status403Forbidden,
                    EngineFailure.NotFound => StatusCodes.Status404NotFound,
                    _ => StatusCodes.Status502BadGateway,
                };
                await http.Response.WriteAsync(e.Message);
            }
        }).RequireAuthorization();
        return endpoints;
    }

    private static string SafeName(string id) => new(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(64).ToArray());
}
