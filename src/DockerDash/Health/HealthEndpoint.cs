using DockerDash.Engines;

namespace DockerDash.Health;

/// <summary><c>GET /healthz</c>: the app and each engine, for load balancers and container health checks. Needs no login.</summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The report; a reason (which may name an engine's address) only for a signed-in caller.</summary>
    public static HealthReport Report(EngineDirectory engines, bool withReasons = true)
    {
        var reports = engines.Connections.Select(c => new EngineHealth(c.State.Name, c.State.IsUp ? "up" : "down", c.State.ApiVersion, EngineTransports.Code(c.Endpoint.Transport),
            c.State.IsUp || !withReasons ? null : c.State.Reason ?? c.State.Status.ToString().ToLowerInvariant())).ToList();
        var status = reports.All(r => r.Status == "up") ? "ok" : reports.Any(r => r.Status == "up") ? "degraded" : "down";
        return new HealthReport(status, reports);
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (EngineDirectory engines, HttpContext http) =>
            Results.Json(Report(engines, withReasons: http.User.Identity?.IsAuthenticated == true), Json)).AllowAnonymous();
        return endpoints;
    }
}

/// <summary>The <c>/healthz</c> document; each engine says how DockerDash reaches it (<see cref="EngineTransports.Code"/>). The app answers, so the request itself is 200 even when engines are down.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<EngineHealth> Engines);

public sealed record EngineHealth(string Name, string Status, string? ApiVersion, string Transport, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason);
