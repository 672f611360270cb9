namespace DockerDash.Health;

/// <summary>
/// <c>dotnet DockerDash.dll healthcheck [url]</c>: asks a running DockerDash for <c>/healthz</c> and
/// exits 0 when it answers 200. The container image's HEALTHCHECK, without curl in the image.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    public static async Task<int> RunAsync(string? url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(url ?? "http://127.0.0.1:8080"), HealthEndpoint.Path));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"DockerDash does not answer: {e.Message}");
            return 1;
        }
    }
}
