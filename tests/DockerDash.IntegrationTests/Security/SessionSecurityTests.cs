using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Data;
using DockerDash.Security.Tokens;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests.Security;

/// <summary>Tokens, kiosk sessions, logins and handshakes against the real app and engine.</summary>
public partial class SessionSecurityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] ExtraCapabilities = ["SYS_ADMIN"];

    [Fact]
    public async Task A_viewers_hub_call_to_stop_a_container_is_refused_and_it_keeps_running()
    {
        var id = await fixture.Engine.RunSleeperAsync("viewer-stop");
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Viewer));
        await hub.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("StopContainer", new { engine = "rig", id }, 1));

        Assert.Contains("You may not container.stop", error.Message, StringComparison.Ordinal);
        Assert.True((await fixture.Engine.InspectAsync(id)).State!.Running);
    }

    [Fact]
    public async Task An_operator_cannot_create_a_privileged_container_or_one_with_extra_capabilities()
    {
        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DashboardRole.Operator));
        await hub.StartAsync();
        var name = TestRig.UniqueName("privileged");

        var privileged = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("CreateContainer", new { engine = "rig", image = TestRig.Image, name, privileged = true, networkMode = "none" }));
        var capabilities = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<string>("CreateContainer", new { engine = "rig", image = TestRig.Image, name, capAdd = ExtraCapabilities, networkMode = "none" }));

        Assert.Contains("You may not container.create", privileged.Message, StringComparison.Ordinal);
        Assert.Contains("You may not container.create", capabilities.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => fixture.Engine.InspectAsync(name));
    }

    [Fact]
    public async Task Revoking_an_api_token_closes_its_open_event_stream()
    {
        var token = await fixture.App.CreateTokenAsync(DashboardRole.Viewer);
        await using var hub = fixture.App.Hub(token);
        await hub.StartAsync();
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var stream = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" });

        await RevokeAsync(token);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        await Assert.ThrowsAnyAsync<Exception>(async () => await stream.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_kiosk_token_becomes_a_cookie_whose_stream_closes_when_the_token_is_revoked()
    {
        var token = await fixture.App.CreateTokenAsync(DashboardRole.Viewer, TokenKind.Kiosk);
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = fixture.App.Address };

        using var exchange = await http.GetAsync(new Uri($"/kiosk?token={token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, exchange.StatusCode);
        Assert.Equal(AccountEndpoints.KioskLanding, exchange.Headers.Location?.ToString());
        Assert.NotEmpty(cookies.GetCookies(fixture.App.Address));

        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.App.Address, "/hubs/docker"), o => o.Cookies = cookies).Build();
        await hub.StartAsync();
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        _ = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig" });

        await RevokeAsync(token);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var again = await http.GetAsync(new Uri("/containers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/account/login", again.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kiosk_token_used_as_an_api_token_or_an_api_token_at_the_kiosk_is_refused()
    {
        var kiosk = await fixture.App.CreateTokenAsync(DashboardRole.Viewer, TokenKind.Kiosk);
        var api = await fixture.TokenAsync(DashboardRole.Viewer);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.App.Address };

        using var atKiosk = await http.GetAsync(new Uri($"/kiosk?token={api}", UriKind.Relative));
        await using var hub = fixture.App.Hub(kiosk);

        Assert.Equal(HttpStatusCode.Unauthorized, atKiosk.StatusCode);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("/containers?token=abc")]
    [InlineData("/hubs/docker/negotiate?negotiateVersion=1&access_token=abc")]
    [InlineData("/healthz?token=abc")]
    [InlineData("/admin/audit.csv?api_key=abc")]
    public async Task A_token_in_the_query_string_of_any_other_url_is_refused(string url)
    {
        var token = await fixture.TokenAsync(DashboardRole.Admin);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.App.Address };

        using var response = await http.PostAsync(new Uri(url.Replace("abc", token, StringComparison.Ordinal), UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("never accepted in a URL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_handshake_from_a_foreign_origin_is_refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        var url = new UriBuilder(new Uri(fixture.App.Address, "/_blazor")) { Scheme = "ws" }.Uri;

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = fixture.App.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/docker/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Authorization = new("Bearer", await fixture.TokenAsync(DashboardRole.Viewer));
        using var negotiate = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
    }

    [Fact]
    public async Task The_sixth_wrong_password_finds_the_account_locked_and_the_right_one_no_longer_works()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Security:LoginAttemptsPerMinute=100");
        await app.As<AccountService>().AddUserAsync("lockme", "the-right-password", [new GrantSpec("*", DashboardRole.Viewer)]);
        using var login = new LoginForm(app.Address);

        var answers = new List<string>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            answers.Add(await login.PostAsync("lockme", "wrong-password-" + attempt));
        }

        Assert.All(answers.Take(4), a => Assert.Contains("Wrong user name or password.", a, StringComparison.Ordinal));
        Assert.Contains("locked", answers[5], StringComparison.Ordinal);
        Assert.Contains("locked", await login.PostAsync("lockme", "the-right-password"), StringComparison.Ordinal);
        var audit = await app.AuditAsync();
        Assert.Contains(audit, e => e.Caller == "lockme" && e.Operation == AccountAudit.Login && e.Outcome == "Failed");
        Assert.Contains(audit, e => e.Caller == "lockme" && e.Operation == AccountAudit.Login && e.Outcome == "Denied");
    }

    [Fact]
    public async Task Logins_from_one_address_are_rate_limited()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Security:LoginAttemptsPerMinute=3");
        using var login = new LoginForm(app.Address);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await login.PostStatusAsync("nobody", "whatever-password"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task An_upload_with_the_session_cookie_but_without_the_pages_header_is_refused()
    {
        using var browser = new LoginForm(fixture.App.Address);
        await browser.PostAsync("admin", DashboardApp.AdminPassword);

        using var forged = await browser.Http.PostAsync(new Uri("/images/rig/load", UriKind.Relative), new ByteArrayContent(new byte[1024]));
        using var ours = new HttpRequestMessage(HttpMethod.Post, new Uri("/images/rig/load", UriKind.Relative)) { Content = new ByteArrayContent(new byte[1024]) };
        ours.Headers.Add(DockerDash.Images.TransferEndpoints.UploadHeader, "1");
        using var fromOurPage = await browser.Http.SendAsync(ours);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("must come from DockerDash's own pages", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Forbidden, fromOurPage.StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, fromOurPage.StatusCode);
    }

    private Task RevokeAsync(string token) =>
        fixture.App.As<TokenService>().RevokeAsync(token.Split('_')[1]);

    /// <summary>The login page as a browser posts it: antiforgery token and form handler included.</summary>
    public sealed partial class LoginForm : IDisposable
    {
        private readonly HttpClient _http;

        public LoginForm(Uri address, Action<HttpRequestHeaders>? headers = null)
        {
            _http = new(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };
            headers?.Invoke(_http.DefaultRequestHeaders);
        }

        /// <summary>The session cookie, for a hub connection of the same browser.</summary>
        public CookieContainer Cookies { get; } = new();

        [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
        private static partial Regex Antiforgery();

        /// <summary>The browser-like client, with whatever cookie the last sign-in set.</summary>
        public HttpClient Http => _http;

        public async Task<string> PostAsync(string user, string password)
        {
            using var response = await SendAsync(user, password);
            return await response.Content.ReadAsStringAsync();
        }

        public async Task<HttpStatusCode> PostStatusAsync(string user, string password)
        {
            using var response = await SendAsync(user, password);
            return response.StatusCode;
        }

        private async Task<HttpResponseMessage> SendAsync(string user, string password)
        {
            var page = await _http.GetStringAsync(new Uri("/account/login", UriKind.Relative));
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value,
                ["Input.UserName"] = user,
                ["Input.Password"] = password,
            });
            return await _http.PostAsync(new Uri("/account/login", UriKind.Relative), form);
        }

        public void Dispose() => _http.Dispose();
    }
}
