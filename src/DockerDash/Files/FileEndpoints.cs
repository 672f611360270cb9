using DockerDash.Operations;
using Microsoft.AspNetCore.Http.Features;

namespace DockerDash.Files;

/// <summary>
/// <c>GET /containers/{engine}/{id}/files/download?path=...</c> (a file's bytes, or a directory as a tar) and
/// <c>POST /containers/{engine}/{id}/files?path=DIR&amp;name=FILE</c> (the body is the file; its Content-Length
/// is needed and may be at most <c>DockerDash:Uploads:MaxFileBytes</c>, default 1 GiB). Both streamed.
/// </summary>
public static class FileEndpoints
{
    public const long DefaultMaxFileBytes = 1024L * 1024 * 1024;

    public static string DownloadPath(string engine, string id, string path) =>
        $"/containers/{Uri.EscapeDataString(engine)}/{Uri.EscapeDataString(id)}/files/download?path={Uri.EscapeDataString(path)}";

    public static string UploadPath(string engine, string id, string directory) =>
        $"/containers/{Uri.EscapeDataString(engine)}/{Uri.EscapeDataString(id)}/files?path={Uri.EscapeDataString(directory)}";

    public static long MaxFileBytes(IConfiguration configuration) => configuration.GetValue("DockerDash:Uploads:MaxFileBytes", DefaultMaxFileBytes);

    public static IEndpointRouteBuilder MapContainerFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/containers/{engine}/{id}/files/download", async (string engine, string id, string? path, HttpContext http, ContainerFiles files) =>
        {
            var stat = await files.StatAsync(engine, id, path ?? "/", http.RequestAborted);
            http.Response.ContentType = stat.IsDirectory ? "application/x-tar" : "application/octet-stream";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{EndpointFailures.SafeFileName(stat.Name.Length > 0 ? stat.Name : "root")}{(stat.IsDirectory ? ".tar" : "")}\"";
            await files.DownloadAsync(engine, id, path ?? "/", http.Response.Body, http.RequestAborted);
        }).RequireAuthorization();

        endpoints.MapPost("/containers/{engine}/{id}/files", async (string engine, string id, string? path, string? name, HttpContext http, ContainerFiles files, IConfiguration configuration) =>
        {
            if (!await Images.TransferEndpoints.AcceptUploadAsync(http, configuration))
            {
                return;
            }

            var limit = MaxFileBytes(configuration);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            {
                bodyLimit.MaxRequestBodySize = limit + 1;
            }

            var size = http.Request.ContentLength ?? throw new OperationFailedException("Send the file with its length (Content-Length).", OperationFailure.Invalid);
            await files.UploadAsync(engine, id, path ?? "/", name ?? "", size, http.Request.Body, limit, http.RequestAborted);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"Uploaded {name} ({size:N0} bytes) into {path ?? "/"}.");
        }).RequireAuthorization();
        return endpoints;
    }
}
