namespace DockerDash.Hosting;

/// <summary>Builds the DockerDash web application; used by <c>Program</c> and by tests that boot the real app.</summary>
public static class DockerDashApp
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Serves package assets (MudBlazor's) from the build output too, not only in Development; a no-op once published.
        builder.WebHost.UseStaticWebAssets();
        builder.AddDockerDash();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDockerDash();
        return app;
    }
}
