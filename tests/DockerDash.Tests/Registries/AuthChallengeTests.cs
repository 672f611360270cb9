using DockerDash.Registries;

namespace DockerDash.Tests.Registries;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parameters_come_in_any_order_quoted_or_not_with_commas_inside_quotes()
    {
        var challenge = AuthChallenge.Parse("Bearer scope=\"repository:team/app:pull,push\",service=registry.example.com, realm=\"https://auth.example.com/token\",error=\"insufficient_scope\"")!;

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge.Realm);
        Assert.Equal("registry.example.com", challenge.Service);
        Assert.Equal("repository:team/app:pull,push", challenge.Scope);
        Assert.Equal("insufficient_scope", challenge.Error);
    }

    [Fact]
    public void A_challenge_without_scope_or_parameters_still_parses()
    {
        var bearer = AuthChallenge.Parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry\"")!;
        var basic = AuthChallenge.Parse("Basic realm=\"dockerdash-test\"")!;
        var bare = AuthChallenge.Parse("Basic")!;

        Assert.Null(bearer.Scope);
        Assert.True(basic.IsBasic);
        Assert.Equal("dockerdash-test", basic.Realm);
        Assert.True(bare.IsBasic);
        Assert.Empty(bare.Parameters);
        Assert.Null(AuthChallenge.Parse(""));
    }

    [Theory]
    [InlineData("</v2/_catalog?last=team%2Fapp&n=1000>; rel=\"next\"", "/v2/_catalog?last=team%2Fapp&n=1000")]
    [InlineData("<https://registry.example.com/v2/app/tags/list?last=v9&n=100>; rel=\"next\"", "https://registry.example.com/v2/app/tags/list?last=v9&n=100")]
    public void The_next_page_comes_from_the_link_header(string link, string next)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", link);

        Assert.Equal(next, RegistryClient.NextPage(response));
    }
}
