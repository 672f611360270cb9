using DockerDash.Health;
using DockerDash.Hosting;

SharedBufferPool.Enlarge();
if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : null);
}

await DockerDashApp.Build(args).RunAsync();
return 0;

/// <summary>The web host's entry point.</summary>
public partial class Program;
