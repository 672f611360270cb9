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
}
