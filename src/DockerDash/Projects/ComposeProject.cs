using DockerDash.Containers;

namespace DockerDash.Projects;

/// <summary>The labels Compose (v1's docker-compose and v2's docker compose) puts on what it creates.</summary>
public static class ComposeLabels
{
    public const string Project = ContainerInfo.ComposeProjectLabel;
    public const string Service = "com.docker.compose.service";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string Number = "com.docker.compose.container-number";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";

    /// <summary>
    /// The services a container's service waits for: v2 writes <c>db:service_started:false,cache:service_healthy:true</c>;
    /// v1 (Debian's docker-compose 1.29) writes nothing, and then there is no order to keep.
    /// </summary>
    public static IReadOnlyList<string> DependenciesOf(IReadOnlyDictionary<string, string> labels) =>
        labels.GetValueOrDefault(DependsOn) is { Length: > 0 } value
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.Split(':')[0]).Where(d => d.Length > 0).Distinct().ToList()
            : [];
}

/// <summary>One service of a project: its containers (replicas) and the services it depends on.</summary>
public sealed record ProjectServiceInfo(string Name, IReadOnlyList<ContainerInfo> Containers, IReadOnlyList<string> DependsOn)
{
    public int Running => Containers.Count(c => c.IsRunning);

    public int Restarts => Containers.Sum(c => c.RestartCount);
}

/// <summary>A compose project on one engine, as its containers' labels describe it (the same name on two engines is two projects).</summary>
public sealed record ProjectInfo(string Engine, string Name, IReadOnlyList<ProjectServiceInfo> Services, string? WorkingDir, IReadOnlyList<string> ConfigFiles)
{
    public IEnumerable<ContainerInfo> Containers => Services.SelectMany(s => s.Containers);

    public int Running => Services.Sum(s => s.Running);

    public int Total => Services.Sum(s => s.Containers.Count);

    public int Unhealthy => Containers.Count(c => c.Health == "unhealthy");

    public string Path => $"/projects/{Uri.EscapeDataString(Engine)}/{Uri.EscapeDataString(Name)}";

    /// <summary>The projects among <paramref name="containers"/>, by engine and name.</summary>
    public static IReadOnlyList<ProjectInfo> From(IEnumerable<ContainerInfo> containers) =>
        containers.Where(c => c.ComposeProject is not null)
            .GroupBy(c => (c.Engine, Project: c.ComposeProject!))
            .Select(g => Of(g.Key.Engine, g.Key.Project, g.ToList()))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Engine, StringComparer.Ordinal)
            .ToList();

    private static ProjectInfo Of(string engine, string name, IReadOnlyList<ContainerInfo> containers)
    {
        var services = containers
            .GroupBy(c => c.Labels.GetValueOrDefault(ComposeLabels.Service) ?? c.Name)
            .Select(s => new ProjectServiceInfo(
                s.Key,
                s.OrderBy(c => int.TryParse(c.Labels.GetValueOrDefault(ComposeLabels.Number), out var n) ? n : 0).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
                s.SelectMany(c => ComposeLabels.DependenciesOf(c.Labels)).Distinct().ToList()))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var labels = containers.Select(c => c.Labels).ToList();
        return new ProjectInfo(engine, name, services,
            labels.Select(l => l.GetValueOrDefault(ComposeLabels.WorkingDir)).FirstOrDefault(w => !string.IsNullOrEmpty(w)),
            labels.Select(l => l.GetValueOrDefault(ComposeLabels.ConfigFiles)).FirstOrDefault(f => !string.IsNullOrEmpty(f)) is { } files
                ? files.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : []);
    }

    /// <summary>
    /// The services in the order they start: each after the services it depends on (by name where nothing says);
    /// a dependency on a service the project does not have, or a cycle, does not hold anything back.
    /// Stopping goes the other way.
    /// </summary>
    public IReadOnlyList<ProjectServiceInfo> StartOrder()
    {
        var byName = Services.ToDictionary(s => s.Name);
        var ordered = new List<ProjectServiceInfo>();
        var state = new Dictionary<string, bool>(); // false: being visited, true: placed
        void Visit(ProjectServiceInfo service)
        {
            if (state.ContainsKey(service.Name))
            {
                return; // placed, or a cycle back to it
            }

            state[service.Name] = false;
            foreach (var dependency in service.DependsOn.Order(StringComparer.Ordinal))
            {
                if (byName.TryGetValue(dependency, out var other))
                {
                    Visit(other);
                }
            }

            state[service.Name] = true;
            ordered.Add(service);
        }

        foreach (var service in Services)
        {
            Visit(service);
        }

        return ordered;
    }
}
