using DockerDash.Containers;

namespace DockerDash.Tests.Fakes;

/// <summary>Builds <see cref="ContainerInfo"/> rows for tests.</summary>
public static class Containers
{
    public static ContainerInfo Make(
        string name,
        string state = "running",
        string engine = "local",
        string? project = null,
        string image = "busybox:latest",
        string? id = null,
        Dictionary<string, string>? labels = null,
        int? exitCode = null)
    {
        var allLabels = labels ?? [];
        if (project is not null)
        {
            allLabels[ContainerInfo.ComposeProjectLabel] = project;
        }

        return new ContainerInfo(
            engine,
            id ?? (name + new string('0', 64))[..64].Replace('-', 'a'),
            name,
            image,
            "sleep 1000",
            new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero),
            state,
            exitCode ?? (state is "exited" or "dead" ? 0 : null),
            null,
            [],
            allLabels);
    }
}
