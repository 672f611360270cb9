namespace DockerDash.Operations;

/// <summary>
/// The one error handling of the download and upload endpoints: a refusal before the body started becomes its
/// status and sentence (<see cref="EndpointFailures"/>); after it started, the response is cut short, so the
/// client sees an unfinished download rather than a complete-looking broken file. Never a stack trace.
/// </summary>
public sealed class OperationFailureFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (OperationFailedException e) when (!http.Response.HasStarted)
        {
            await EndpointFailures.WriteAsync(http, e);
            return Results.Empty;
        }
        catch (OperationFailedException)
        {
            http.Abort();
            return Results.Empty;
        }
    }
}
