using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Data;
using DockerDash.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// How long a session and its connections live (issue 11, items 6, 12 and 13): hub connections end with
/// their user's access, a password-guessing lockout ends no session, an admin's lock does, and behind a
/// known proxy the app sees the client's address and scheme.
/// </summary>
public sealed partial class SessionLifetimeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string ClientAddress = "203.0.113.7";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    private static async Task<(SessionSecurityTests.LoginForm Browser, HubConnection Hub, Task Closed)> SignedInHubAsync(DashboardApp app, string user, string password)
    {
        var browser = new SessionSecurityTests.LoginForm(app.Address);
        await browser.PostAsync(user, password);
        var hub = new HubConnectionBuilder().WithUrl(new Uri(app.Address, "/hubs/docker"), o => o.Cookies = browser.Cookies).Build();
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        return (browser, hub, closed.Task);
    }

    [Fact]
    public async Task A_hub_stream_closes_when_its_users_roles_change()
    {
        var created = await fixture.App.As<AccountService>().AddUserAsync("roles-change", "roles-change-password", [new GrantSpec("*", DashboardRole.Operator)]);
        var (browser, hub, closed) = await SignedInHubAsync(fixture.App, "roles-change", "roles-change-password");
        using var _ = browser;
        await using var __ = hub;
        var stream = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" });

        await fixture.App.As<AccountService>().SetGrantsAsync(created.Id, [new GrantSpec("*", DashboardRole.Viewer)]);

        await closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task An_admins_lock_closes_the_users_hub_connection_and_ends_the_session()
    {
        var created = await fixture.App.As<AccountService>().AddUserAsync("locked-by-admin", "locked-by-admin-password", [new GrantSpec("*", DashboardRole.Viewer)]);
        var (browser, hub, closed) = await SignedInHubAsync(fixture.App, "locked-by-admin", "locked-by-admin-password");
        using var _ = browser;
        await using var __ = hub;

        await fixture.App.As<AccountService>().LockAsync(created.Id);

        await closed.WaitAsync(TimeSpan.FromSeconds(30));
        var page = await Eventually.GetAsync(
            async () =>
            {
                using var response = await browser.Http.GetAsync(new Uri("/containers", UriKind.Relative));
                return (response.StatusCode, Location: response.Headers.Location?.OriginalString);
            },
            r => r.StatusCode == HttpStatusCode.Redirect, TimeSpan.FromSeconds(30), "the locked user's session to end (within the revalidation interval)");
        Assert.Contains("/account/login", page.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_but_do_not_end_the_admins_open_session()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Security:LoginAttemptsPerMinute=100", "--DockerDash:Security:RevalidationInterval=00:00:00.010");
        using var admin = new SessionSecurityTests.LoginForm(app.Address);
        await admin.PostAsync("admin", DashboardApp.AdminPassword);
        using var stranger = new SessionSecurityTests.LoginForm(app.Address);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await stranger.PostAsync("admin", "a-wrong-guess-" + attempt);
        }

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("admin"))!));
        using var audit = await admin.Http.GetAsync(new Uri("/admin/audit.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
    }

    [Fact]
    public async Task Turning_the_second_factor_off_needs_the_password()
    {
        await fixture.App.As<AccountService>().AddUserAsync("two-factor", "two-factor-password", [new GrantSpec("*", DashboardRole.Viewer)]);
        using var scope = fixture.App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var created = (await users.FindByNameAsync("two-factor"))!;
        await users.SetTwoFactorEnabledAsync(created, true);

        var withoutPassword = await accounts.TurnOffTwoFactorAsync(created.Id, "not-the-password");
        var stillOn = await users.GetTwoFactorEnabledAsync(created);
        var withPassword = await accounts.TurnOffTwoFactorAsync(created.Id, "two-factor-password");

        Assert.False(withoutPassword);
        Assert.True(stillOn);
        Assert.True(withPassword);
        using var after = fixture.App.Services.CreateScope();
        var fresh = after.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        Assert.False(await fresh.GetTwoFactorEnabledAsync((await fresh.FindByNameAsync("two-factor"))!));
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_audit_sees_the_client_the_cookie_is_secure_and_hsts_is_sent()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Security:KnownProxies:0=127.0.0.1");

        using var login = await ProxiedLoginAsync(app.Address, "admin", DashboardApp.AdminPassword);

        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dockerdash=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(login.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(await app.AuditAsync(), e => e.Caller == "admin" && e.Operation == AccountAudit.Login && e.Address == ClientAddress);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_address_are_ignored()
    {
        using var login = await ProxiedLoginAsync(fixture.App.Address, "admin", DashboardApp.AdminPassword);

        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(await fixture.App.AuditAsync(), e => e.Address == ClientAddress);
    }

    [Fact]
    public async Task The_kiosk_exchange_is_rate_limited_per_address()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Security:KioskAttemptsPerMinute=3");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync(new Uri("/kiosk?token=ddt_guess_guess", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>A login as a TLS proxy on 127.0.0.1 forwards it: client address and https in X-Forwarded-*, cookies by hand.</summary>
    private static async Task<HttpResponseMessage> ProxiedLoginAsync(Uri app, string user, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", ClientAddress);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Host = "dashboard.example";
        using var page = await http.GetAsync(new Uri("/account/login", UriKind.Relative));
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var form = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = Antiforgery().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value,
                ["Input.UserName"] = user,
                ["Input.Password"] = password,
            }),
        };
        form.Headers.Add("Cookie", cookies);
        return await http.SendAsync(form);
    }
}
