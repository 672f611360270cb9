using System.Net;

namespace DockerDash.IntegrationTests;

/// <summary>Where an unexpected failure lands: the app's own page with a sentence and a request id, never a stack trace.</summary>
public sealed class ErrorPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_error_page_says_what_happened_and_gives_an_id_to_find_it_in_the_log()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };

        using var response = await http.GetAsync(new Uri("/error", UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong on the server", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"request-id\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_at_an_unknown_address_gets_the_apps_own_not_found_page_with_status_404()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/no/such/page", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await http.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"not-found\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_at_an_unknown_address_keeps_a_bare_404()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };

        using var response = await http.GetAsync(new Uri("/no/such/api", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }
}
