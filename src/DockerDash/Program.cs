using DockerDash.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

// Serves package assets (MudBlazor's) from the build output too, not only in Development; a no-op once published.
builder.WebHost.UseStaticWebAssets();
builder.AddDockerDash();
var app = builder.Build();
app.MapDockerDash();
app.Run();

/// <summary>The web host's entry point; public so that tests can boot the real app.</summary>
public partial class Program;
