using DockerDash.Operations;
using DockerDash.Registries;

namespace DockerDash.Tests.Registries;

public class RegistryNamesTests
{
    [Theory]
    [InlineData("app", true)]
    [InlineData("team/app", true)]
    [InlineData("a.b/c__d/e-f--g", true)]
    [InlineData("../admin", false)]
    [InlineData("team/../admin", false)]
    [InlineData("team/app/", false)]
    [InlineData("Team/app", false)]
    [InlineData("team//app", false)]
    [InlineData("team/app?x", false)]
    [InlineData("team/app%2F..", false)]
    [InlineData("", false)]
    public void Repository_names_follow_the_distribution_grammar(string name, bool valid)
    {
        Assert.Equal(valid, RegistryNames.IsRepository(name));
    }

    [Theory]
    [InlineData("v1.2.3", true)]
    [InlineData("latest", true)]
    [InlineData("_x", true)]
    [InlineData(".hidden", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    [InlineData("..", false)]
    public void Tags_follow_the_distribution_grammar(string tag, bool valid)
    {
        Assert.Equal(valid, RegistryNames.IsTag(tag));
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sha256:0123", false)]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("sha256:../../../internal/admin/users/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("../../../internal/admin/users", false)]
    public void Digests_are_an_algorithm_and_its_hex(string digest, bool valid)
    {
        Assert.Equal(valid, RegistryNames.IsDigest(digest));
    }

    [Fact]
    public void A_refused_name_says_what_it_should_look_like()
    {
        var refused = Assert.Throws<OperationFailedException>(() => RegistryNames.Repository("../admin"));

        Assert.Equal(OperationFailure.Invalid, refused.Failure);
        Assert.Contains("is not a repository name", refused.Message, StringComparison.Ordinal);
    }
}
