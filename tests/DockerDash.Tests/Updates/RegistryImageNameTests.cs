using DockerDash.Images;
using DockerDash.Updates;

namespace DockerDash.Tests.Updates;

public class RegistryImageNameTests
{
    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", "https://registry-1.docker.io/")]
    [InlineData("docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", "https://registry-1.docker.io/")]
    [InlineData("index.docker.io/team/api:2", "docker.io", "team/api", "2", "https://registry-1.docker.io/")]
    [InlineData("127.0.0.1:5000/dd/app:live", "127.0.0.1:5000", "dd/app", "live", "http://127.0.0.1:5000/")]
    [InlineData("localhost:5000/app", "localhost:5000", "app", "latest", "http://localhost:5000/")]
    [InlineData("ghcr.io/owner/app:v1", "ghcr.io", "owner/app", "v1", "https://ghcr.io/")]
    public void A_tag_reference_names_its_registry_repository_and_tag(string reference, string registry, string repository, string tag, string address)
    {
        var name = RegistryImageName.Parse(reference)!;

        Assert.Equal((registry, repository, tag), (name.Registry, name.Repository, name.Tag));
        Assert.Equal(address, name.DefaultAddress.ToString());
    }

    [Theory]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("Not A Reference")]
    public void A_digest_pinned_or_invalid_reference_has_no_tag_to_follow(string reference) => Assert.Null(RegistryImageName.Parse(reference));

    [Fact]
    public void A_repository_digest_compares_with_the_tag_in_its_familiar_or_full_form()
    {
        Assert.Equal("docker.io/library/busybox", RegistryImageName.RepositoryKeyOf("busybox@sha256:abc"));
        Assert.Equal(RegistryImageName.Parse("docker.io/library/busybox:1")!.RepositoryKey, RegistryImageName.RepositoryKeyOf("busybox@sha256:abc"));
        Assert.Equal("sha256:abc", RegistryImageName.DigestOf("127.0.0.1:5000/dd/app@sha256:abc"));
        Assert.Null(RegistryImageName.RepositoryKeyOf("busybox:1"));
    }

    [Fact]
    public void The_schedule_is_jittered_by_at_most_a_tenth()
    {
        var interval = TimeSpan.FromHours(6);

        Assert.Equal(TimeSpan.FromHours(5.4), UpdateSchedule.Jittered(interval, 0));
        Assert.Equal(TimeSpan.FromHours(6.6), UpdateSchedule.Jittered(interval, 1));
    }
}
