namespace DockerDash.Security.Accounts;

/// <summary>Keeps sign-in redirects inside DockerDash: only local paths, never another site.</summary>
public static class ReturnUrls
{
    /// <summary>A local path, or <c>/</c>; control characters (a browser drops tabs and newlines, turning <c>/\t/evil</c> into <c>//evil</c>) refuse it.</summary>
    public static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";
}
