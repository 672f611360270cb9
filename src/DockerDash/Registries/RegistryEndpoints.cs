using DockerDash.Operations;

namespace DockerDash.Registries;

/// <summary><c>GET /registries/{id}/layer?repository=...&amp;digest=...</c>: a layer blob, streamed from the registry through the gate.</summary>
public static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/registries/{id:int}/layer", async (int id, string? repository, string? digest, HttpContext http, RegistryService registries) =>
        {
            using var blob = await registries.OpenLayerAsync(id, repository ?? "", digest ?? "", http.RequestAborted);
            http.Response.ContentType = "application/octet-stream";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{EndpointFailures.SafeFileName((digest ?? "layer").Replace(':', '-'))}.tar.gz\"";
            if (blob.Content.Headers.ContentLength is { } length)
            {
                http.Response.ContentLength = length;
            }

            await using var body = await blob.Content.ReadAsStreamAsync(http.RequestAborted);
            await body.CopyToAsync(http.Response.Body, http.RequestAborted);
        }).RequireAuthorization();
        return endpoints;
    }
}
