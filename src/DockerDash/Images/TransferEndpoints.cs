using DockerDash.Operations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DockerDash.Images;

/// <summary>
/// The tar endpoints, streamed both ways: <c>GET /containers/{engine}/{id}/export</c>,
/// <c>GET /images/{engine}/save?name=...</c>, <c>POST /images/{engine}/load</c> and
/// <c>POST /images/{engine}/import?reference=...</c> and <c>POST /images/{engine}/build?tag=...&amp;buildarg=K=V&amp;target=...&amp;nocache=true&amp;dockerfile=...</c>
/// (the body is the tar; a build also shows in the jobs panel). Uploads may be as large as
/// <c>DockerDash:Uploads:MaxImageBytes</c> (default 20 GiB).
/// </summary>
public static class TransferEndpoints
{
    public const long DefaultMaxImageBytes = 20L * 1024 * 1024 * 1024;

    public static string ExportPath(string engine, string id) => $"/containers/{Uri.EscapeDataString(engine)}/{Uri.EscapeDataString(id)}/export";

    public static string SavePath(string engine, IEnumerable<string> images) => $"/images/{Uri.EscapeDataString(engine)}/save?" + string.Join('&', images.Select(i => "name=" + Uri.EscapeDataString(i)));

    public static IEndpointRouteBuilder MapImageTransfers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/containers/{engine}/{id}/export", (string engine, string id, HttpContext http, ImageTransfers transfers) =>
            DownloadAsync(http, $"{id}.tar", output => transfers.ExportContainerAsync(engine, id, output, http.RequestAborted))).RequireAuthorization();

        endpoints.MapGet("/images/{engine}/save", (string engine, [FromQuery(Name = "name")] string[] names, HttpContext http, ImageTransfers transfers) =>
            DownloadAsync(http, names.Length == 1 ? $"{names[0]}.tar" : "images.tar", output => transfers.SaveImagesAsync(engine, names, output, http.RequestAborted))).RequireAuthorization();

        endpoints.MapPost("/images/{engine}/load", (string engine, HttpContext http, ImageTransfers transfers, IConfiguration configuration) =>
            UploadAsync(http, configuration, () => transfers.LoadImagesAsync(engine, http.Request.Body, http.Request.ContentLength, http.RequestAborted))).RequireAuthorization();

        endpoints.MapPost("/images/{engine}/import", (string engine, string? reference, string? message, HttpContext http, ImageTransfers transfers, IConfiguration configuration) =>
            UploadAsync(http, configuration, () => transfers.ImportAsync(engine, http.Request.Body, reference ?? "", message, http.RequestAborted))).RequireAuthorization();

        endpoints.MapPost("/images/{engine}/build", async (string engine, [FromQuery(Name = "tag")] string[]? tags, [FromQuery(Name = "buildarg")] string[]? buildArgs, string? target, bool? nocache, string? dockerfile,
            HttpContext http, ImageService images, IConfiguration configuration) =>
        {
            if (!await AcceptUploadAsync(http, configuration))
            {
                return;
            }

            var request = new BuildRequest(tags ?? [], BuildRequest.ParseArgs(string.Join('\n', buildArgs ?? [])), target, nocache ?? false, dockerfile);
            var job = images.StartBuild(engine, request, _ => Task.FromResult(http.Request.Body));
            await job.Completion;
            http.Response.StatusCode = job.State == Jobs.JobState.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(string.Join('\n', job.Lines.Append(job.Outcome ?? "")));
        }).RequireAuthorization();
        return endpoints;
    }

    private static async Task DownloadAsync(HttpContext http, string fileName, Func<Stream, Task> write)
    {
        http.Response.ContentType = "application/x-tar";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{EndpointFailures.SafeFileName(fileName)}\"";
        try
        {
            await write(http.Response.Body);
        }
        catch (OperationCanceledException)
        {
            // Cancelled from the jobs panel, or the browser went away: the download ends unfinished.
            http.Abort();
        }
    }

    /// <summary>
    /// Sent by DockerDash's own pages with every upload. A page of another site can make a browser POST with
    /// DockerDash's cookie, but not with a custom header (that needs a CORS preflight DockerDash never allows).
    /// Token clients (an Authorization header) need not send it.
    /// </summary>
    public const string UploadHeader = "X-DockerDash-Upload";

    /// <summary>Refuses a forged browser upload (see <see cref="UploadHeader"/>) and lifts the body size limit to the configured one.</summary>
    public static async Task<bool> AcceptUploadAsync(HttpContext http, IConfiguration configuration)
    {
        // A token client authenticated with a DockerDash token (a browser cannot add one cross-site); any other
        // Authorization header (Basic, a stranger's Bearer) says nothing about where the request came from.
        if (!http.Request.Headers.ContainsKey(UploadHeader) && http.User.FindFirst(Security.DashboardClaims.TokenId) is null)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync($"Uploads from a browser must come from DockerDash's own pages (the {UploadHeader} header is missing).");
            return false;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = configuration.GetValue("DockerDash:Uploads:MaxImageBytes", DefaultMaxImageBytes);
        }

        return true;
    }

    private static async Task UploadAsync(HttpContext http, IConfiguration configuration, Func<Task<string>> upload)
    {
        if (!await AcceptUploadAsync(http, configuration))
        {
            return;
        }

        try
        {
            var report = await upload();
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(report);
        }
        catch (OperationCanceledException) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            await http.Response.WriteAsync("Cancelled.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsync($"The upload is larger than this server takes ({configuration.GetValue("DockerDash:Uploads:MaxImageBytes", DefaultMaxImageBytes):N0} bytes, DockerDash:Uploads:MaxImageBytes).");
        }
    }
}
