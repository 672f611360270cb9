namespace DockerDash.Containers.Create;

/// <summary>What the create-container page edits: text as typed, checked by <see cref="ContainerCreatePlan"/>.</summary>
public sealed class ContainerCreateForm
{
    public string Engine { get; set; } = "";
    public string Image { get; set; } = "";
    public string Name { get; set; } = "";
    public string Command { get; set; } = "";
    public string Entrypoint { get; set; } = "";

    /// <summary>One <c>KEY=value</c> a line.</summary>
    public string Environment { get; set; } = "";

    /// <summary>One <c>[ip:]hostPort:containerPort[/proto]</c> or <c>containerPort[/proto]</c> a line.</summary>
    public string Ports { get; set; } = "";

    /// <summary>One <c>source:/target[:ro]</c> a line; a source starting with / is a bind mount, else a named volume.</summary>
    public string Mounts { get; set; } = "";

    /// <summary>no, always, unless-stopped, on-failure or on-failure:N.</summary>
    public string RestartPolicy { get; set; } = "no";

    /// <summary>One <c>key=value</c> a line.</summary>
    public string Labels { get; set; } = "";

    /// <summary>Like <c>--memory</c>: 512m, 1g, or bytes.</summary>
    public string Memory { get; set; } = "";

    /// <summary>Like <c>--cpus</c>: 0.5, 2.</summary>
    public string Cpus { get; set; } = "";

    /// <summary>Empty for the engine's default, or none, host, bridge, container:NAME, or a network name.</summary>
    public string NetworkMode { get; set; } = "";

    public bool Tty { get; set; }
    public bool AutoRemove { get; set; }
    public string User { get; set; } = "";
    public string WorkingDir { get; set; } = "";
    public bool StartAfterCreate { get; set; } = true;
}
