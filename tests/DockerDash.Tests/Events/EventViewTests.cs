using DockerDash.Events;

namespace DockerDash.Tests.Events;

public class EventViewTests
{
    private static EngineEvent Event(string type, string action, string id, string? name) =>
        new("rig", type, action, id, name, 0, new Dictionary<string, string>());

    [Theory]
    [InlineData("volume", "create", "data", null, "/volumes/rig/data")]
    [InlineData("network", "connect", "0123456789ab", "backend", "/networks/rig/backend")]
    [InlineData("container", "start", "abc", "web", "/containers/rig/abc")]
    [InlineData("volume", "destroy", "data", null, null)]
    [InlineData("network", "destroy", "0123456789ab", "backend", null)]
    public void Events_link_to_the_page_of_what_they_are_about_while_it_exists(string type, string action, string id, string? name, string? link) =>
        Assert.Equal(link, EventView.LinkOf(Event(type, action, id, name)));
}
