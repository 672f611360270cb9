using System.Net;
using System.Text.RegularExpressions;

namespace DockerDash.Testing;

/// <summary>
/// Signs in through the login form over plain HTTP (antiforgery token and all), as a browser posts it: the session cookie
/// for clients that are not a browser, or for a browser that needs a session but is not testing the sign-in itself.
/// </summary>
public static partial class FormSignIn
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    /// <returns>The cookies of the signed-in session.</returns>
    /// <exception cref="InvalidOperationException">The form did not sign in (wrong password, or no redirect).</exception>
    public static async Task<CookieContainer> SignInAsync(Uri address, string user, string password)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        var page = await client.GetStringAsync(new Uri("account/login", UriKind.Relative));
        using var login = await client.PostAsync(new Uri("account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value,
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));
        if (login.StatusCode != HttpStatusCode.Redirect || login.Headers.Location?.OriginalString.Contains("login", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new InvalidOperationException($"Could not sign in as {user} at {address}: {(int)login.StatusCode} to {login.Headers.Location}.");
        }

        return cookies;
    }
}
