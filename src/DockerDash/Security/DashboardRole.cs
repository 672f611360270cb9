namespace DockerDash.Security;

/// <summary>What a user or token may do on an engine (or registry). Each role includes the ones below it.</summary>
public enum DashboardRole
{
    /// <summary>Nothing at all.</summary>
    None = 0,

    /// <summary>Sees everything except secrets; logs and stats.</summary>
    Viewer = 1,

    /// <summary>Viewer, plus start, stop, restart, pause, kill and pull.</summary>
    Operator = 2,

    /// <summary>Everything, including users and tokens.</summary>
    Admin = 3,
}
