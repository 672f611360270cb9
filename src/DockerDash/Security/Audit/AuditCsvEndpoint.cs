using DockerDash.Operations;
using Microsoft.AspNetCore.WebUtilities;
using DockerDash.Callers;

namespace DockerDash.Security.Audit;

/// <summary><c>GET /admin/audit.csv</c>: the audit log as CSV, streamed, with the audit page's filters. Passes the gate as <c>audit.read</c>.</summary>
public static class AuditCsvEndpoint
{
    public const string Path = "/admin/audit.csv";

    public static IEndpointRouteBuilder MapAuditCsv(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HttpContext http, AuditService audit, string? caller, string? operation, string? scope, string? outcome, string? text) =>
        {
            var query = new AuditQuery(Caller: caller, Operation: operation, Scope: scope, Outcome: outcome, Text: text);
            try
            {
                // Authorise before the first byte: a refusal must not arrive as a half-written file.
                http.RequestServices.GetRequiredService<OperationGate>().Authorize(http.RequestServices.GetRequiredService<CallerContext>().Current, AppOperations.AuditRead, AppOperations.Scope, "csv");
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"dockerdash-audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
                await audit.WriteCsvAsync(query, http.Response.Body, http.RequestAborted);
            }
            catch (OperationDeniedException e)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsync(e.Message);
            }
        }).RequireAuthorization();
        return endpoints;
    }

    public static string QueryString(AuditQuery query) => QueryHelpers.AddQueryString("", new Dictionary<string, string?>
    {
        ["caller"] = query.Caller,
        ["operation"] = query.Operation,
        ["scope"] = query.Scope,
        ["outcome"] = query.Outcome,
        ["text"] = query.Text,
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
}
