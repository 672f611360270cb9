using System.Globalization;
using DockerDash.Security;

namespace DockerDash.Updates;

/// <summary>
/// <c>POST /hooks/updates/{id}/{secret}[?wait=true]</c>: CI's redeploy call. 202 with <c>{ job, state }</c> once the update
/// started, or 200 with <c>{ job, state, outcome }</c> when it waited; 404 for an unknown, revoked or wrong secret (the same
/// answer for each); 429 with Retry-After when called again within the webhook's minimum interval, or too often from one
/// address. No session, no token: the secret in the URL is the credential.
/// </summary>
public static class UpdateWebhookEndpoint
{
    public static IEndpointRouteBuilder MapUpdateWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(UpdateWebhookService.PathPrefix + "/{id:int}/{secret}", async (int id, string secret, bool? wait, HttpContext http, UpdateWebhookService hooks) =>
        {
            try
            {
                var call = await hooks.CallAsync(id, secret, http.Connection.RemoteIpAddress?.ToString(), wait == true, http.RequestAborted);
                return call is null
                    ? Results.NotFound(new { error = "No such webhook." })
                    : wait == true ? Results.Ok(new { job = call.Job, state = call.State, outcome = call.Outcome }) : Results.Accepted(value: new { job = call.Job, state = call.State });
            }
            catch (UpdateWebhookService.TooSoonException e)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(e.Wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status429TooManyRequests);
            }
            catch (Operations.OperationFailedException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: Operations.EndpointFailures.StatusOf(e));
            }
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SecurityHosting.KioskRateLimit);
        return endpoints;
    }
}
