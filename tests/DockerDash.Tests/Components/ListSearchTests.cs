using DockerDash.Components;

namespace DockerDash.Tests.Components;

public class ListSearchTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["team"] = "Blue" };

    [Theory]
    [InlineData("DATA", true)]
    [InlineData("shop", true)]
    [InlineData("team=blue", true)]
    [InlineData("team=red", false)]
    public void The_search_matches_name_project_or_a_label_ignoring_case(string text, bool matches) =>
        Assert.Equal(matches, ListSearch.Matches(text, "shop-data", "shop", Labels));
}
