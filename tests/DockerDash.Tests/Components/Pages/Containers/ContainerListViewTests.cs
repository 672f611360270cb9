using DockerDash.Components.Pages.Containers;
using DockerDash.Containers;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Components.Pages.Containers;

public class ContainerListViewTests
{
    private static ContainerListView View(params ContainerInfo[] containers)
    {
        var view = new ContainerListView();
        view.Reset(containers);
        return view;
    }

    [Theory]
    [InlineData("WEB", "web-1")]
    [InlineData("nginx", "proxy")]
    [InlineData("tier=back", "db")]
    [InlineData("ER=BA", "db")]
    [InlineData("TIER", "db")]
    [InlineData("Back", "db")]
    [InlineData("abc123", "proxy")]
    public void Search_finds_by_name_image_label_and_id(string search, string expected)
    {
        var view = View(
            Make("web-1"),
            Make("proxy", image: "nginx:1.27", id: "abc123" + new string('f', 58)),
            Make("db", labels: new() { ["tier"] = "back" }));

        view.SetSearch(search);

        Assert.Equal([expected], view.Visible.Select(c => c.Name));
    }

    [Theory]
    [InlineData("ier=ba", true)]
    [InlineData("BACK", true)]
    [InlineData("tier=front", false)]
    public void Search_reads_labels_of_any_kind_of_map(string search, bool found)
    {
        var labels = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string> { ["tier"] = "back" });
        var view = View(Make("db") with { Labels = labels });

        view.SetSearch(search);

        Assert.Equal(found ? ["db"] : [], view.Visible.Select(c => c.Name));
    }

    [Fact]
    public void Filters_by_state_and_engine_combine()
    {
        var view = View(Make("a", "running", "one"), Make("b", "exited", "one"), Make("c", "running", "two"));

        view.SetStates(["running"]);
        view.SetEngines(["two"]);

        Assert.Equal(["c"], view.Visible.Select(c => c.Name));
    }

    [Fact]
    public void Choosing_a_sort_column_twice_reverses_it()
    {
        var view = View(Make("b", image: "z"), Make("a", image: "y"), Make("c", image: "x"));
        Assert.Equal(["a", "b", "c"], view.Visible.Select(c => c.Name));

        view.SortBy(ContainerSort.Image);
        Assert.Equal(["c", "a", "b"], view.Visible.Select(c => c.Name));

        view.SortBy(ContainerSort.Image);
        Assert.Equal(["b", "a", "c"], view.Visible.Select(c => c.Name));
    }

    [Fact]
    public void Updates_and_resets_replace_rows()
    {
        var view = View(Make("a"), Make("b"));
        var b = Make("b", state: "exited");

        view.Apply(new ContainerUpdate([ContainerChange.Upsert(b), ContainerChange.Remove(Make("a").Key)]));
        Assert.Equal([("b", "exited")], view.Visible.Select(c => (c.Name, c.State)));

        view.Apply(new ContainerUpdate([], [Make("z")]));
        Assert.Equal(["z"], view.Visible.Select(c => c.Name));
    }
}
