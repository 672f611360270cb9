using System.Net;
using System.Text.RegularExpressions;
using DockerDash.Security.Accounts;
using DockerDash.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.IntegrationTests.Security;

public partial class FirstRunTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [Fact]
    public async Task A_fresh_install_without_the_bootstrap_setting_refuses_setup_without_the_token_and_closes_it_after()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Bootstrap:AdminPassword=");
        var setup = app.Get<SetupState>();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.Address };
        Assert.True(setup.Pending);

        var wrong = await PostSetupAsync(http, "not-the-token");
        Assert.Contains("That is not the setup token.", wrong, StringComparison.Ordinal);
        Assert.True(setup.Pending);

        var right = await http.SendAsync(SetupRequest(await AntiforgeryAsync(http), setup.PendingToken!));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.False(setup.Pending);

        var again = await http.GetStringAsync(new Uri("/setup", UriKind.Relative));
        Assert.Contains("set up already", again, StringComparison.Ordinal);
        using var late = await http.SendAsync(SetupRequest(await AntiforgeryAsync(http), "anything"));
        Assert.NotEqual(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Single(app.Get<Microsoft.AspNetCore.Identity.UserManager<DockerDash.Data.DashboardUser>>().Users);
    }

    private static async Task<string> PostSetupAsync(HttpClient http, string token)
    {
        using var response = await http.SendAsync(SetupRequest(await AntiforgeryAsync(http), token));
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> AntiforgeryAsync(HttpClient http)
    {
        var page = await http.GetStringAsync(new Uri("/setup", UriKind.Relative));
        var match = Antiforgery().Match(page);
        if (match.Success)
        {
            return match.Groups[1].Value;
        }

        // Once set up the page has no form; take a token from the login page, as any visitor could.
        return Antiforgery().Match(await http.GetStringAsync(new Uri("/account/login", UriKind.Relative))).Groups[1].Value;
    }

    private static HttpRequestMessage SetupRequest(string antiforgery, string token) => new(HttpMethod.Post, "/setup")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Token"] = token,
            ["Input.UserName"] = "first-admin",
            ["Input.Password"] = "a-long-enough-password",
        }),
    };
}
