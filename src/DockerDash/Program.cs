using DockerDash.Hosting;

DockerDashApp.Build(args).Run();

/// <summary>The web host's entry point.</summary>
public partial class Program;
