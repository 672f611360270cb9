namespace DockerDash.Components.Layout;

/// <summary>
/// The reader's light/dark choice, kept in a cookie that the browser sets (<c>js/theme.js</c>) and the
/// server reads while rendering, so that a page opens in the chosen theme. No cookie: follow the system.
/// </summary>
public static class ThemeChoice
{
    public const string Cookie = "dockerdash-theme";

    /// <summary>True for dark, false for light, null when the reader has not chosen (or outside a request).</summary>
    public static bool? Read(HttpContext? context) => context?.Request.Cookies[Cookie] switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };

    /// <summary>The class an account page's body gets: its own theme, or none to follow <c>prefers-color-scheme</c>.</summary>
    public static string CssClass(HttpContext? context) => Read(context) switch
    {
        true => "theme-dark",
        false => "theme-light",
        null => "",
    };
}
