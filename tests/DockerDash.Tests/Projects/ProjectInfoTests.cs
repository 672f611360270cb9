using DockerDash.Containers;
using DockerDash.Projects;

namespace DockerDash.Tests.Projects;

public class ProjectInfoTests
{
    private static ContainerInfo Container(string engine, string project, string service, string? dependsOn = null, string state = "running")
    {
        var labels = new Dictionary<string, string> { [ComposeLabels.Project] = project, [ComposeLabels.Service] = service };
        if (dependsOn is not null)
        {
            labels[ComposeLabels.DependsOn] = dependsOn;
        }

        return new ContainerInfo(engine, Guid.NewGuid().ToString("N"), $"{project}-{service}-1", "img", "cmd", DateTimeOffset.UnixEpoch, state, null, null, [], labels);
    }

    [Fact]
    public void The_same_project_name_on_two_engines_is_two_projects_and_containers_without_the_label_are_in_none()
    {
        var projects = ProjectInfo.From([Container("a", "shop", "web"), Container("b", "shop", "web"), Container("a", "shop", "db", state: "exited"),
            new ContainerInfo("a", "x", "loose", "img", "cmd", DateTimeOffset.UnixEpoch, "running", null, null, [], new Dictionary<string, string>())]);

        Assert.Equal([("a", 2, 1), ("b", 1, 1)], projects.Select(p => (p.Engine, p.Total, p.Running)));
        Assert.Equal("/projects/a/shop", projects[0].Path);
    }

    [Fact]
    public void Services_start_after_what_they_depend_on_and_a_cycle_or_a_missing_service_holds_nothing_back()
    {
        var project = ProjectInfo.From([
            Container("a", "p", "web", "api:service_started:false,cache:service_healthy:true"),
            Container("a", "p", "api", "db:service_healthy:false,ghost:service_started:false"),
            Container("a", "p", "db"),
            Container("a", "p", "cache", "worker:service_started:false"),
            Container("a", "p", "worker", "cache:service_started:false"),
        ]).Single();

        var order = project.StartOrder().Select(s => s.Name).ToList();

        Assert.Equal(5, order.Count);
        Assert.True(order.IndexOf("db") < order.IndexOf("api"));
        Assert.True(order.IndexOf("api") < order.IndexOf("web"));
        Assert.True(order.IndexOf("cache") < order.IndexOf("web"));
        Assert.Equal(["api", "cache"], project.Services.Single(s => s.Name == "web").DependsOn);
    }
}
