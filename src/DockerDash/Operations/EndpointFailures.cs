namespace DockerDash.Operations;

/// <summary>How a download or upload endpoint answers a refusal before its body started: a status and the sentence, never a stack trace.</summary>
public static class EndpointFailures
{
    public static int StatusOf(OperationFailedException e) => e.Failure switch
    {
        OperationFailure.Denied => StatusCodes.Status403Forbidden,
        OperationFailure.NotFound => StatusCodes.Status404NotFound,
        OperationFailure.Invalid => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status502BadGateway,
    };

    public static Task WriteAsync(HttpContext http, OperationFailedException e)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.ContentDisposition = default;
        http.Response.StatusCode = StatusOf(e);
        return http.Response.WriteAsync(e.Message);
    }

    /// <summary>A name safe for a Content-Disposition file name.</summary>
    public static string SafeFileName(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(80).ToArray());
}
