using Docker.DotNet.Models;
using DockerDash.Jobs;
using DockerDash.Images;
using DockerDash.Operations;

namespace DockerDash.Tests.Images;

public sealed class EngineProgressTests
{
    [Fact]
    public void A_pulls_progress_stream_becomes_layers_lines_and_an_error()
    {
        using var operation = new Job("pull", "Pull web:1", "local", "ana", DateTimeOffset.UtcNow);
        var progress = new EngineProgress(operation);

        progress.Report(new JSONMessage { ID = "1", Status = "Pulling from team/web" });
        progress.Report(new JSONMessage { ID = "a1b2c3", Status = "Pulling fs layer" });
        progress.Report(new JSONMessage { ID = "a1b2c3", Status = "Downloading", Progress = new JSONProgress { Current = 512, Total = 2048 } });
        progress.Report(new JSONMessage { ID = "d4e5f6", Status = "Already exists" });
        progress.Report(new JSONMessage { Status = "Digest: sha256:0123" });

        Assert.Equal(["a1b2c3", "d4e5f6"], operation.Layers.Select(l => l.Id));
        Assert.Equal(25, operation.Layers[0].Percent);
        Assert.False(operation.Layers[0].Done);
        Assert.True(operation.Layers[1].Done);
        Assert.Equal(["1: Pulling from team/web", "Digest: sha256:0123"], operation.Lines);
        progress.ThrowIfFailed();

        progress.Report(new JSONMessage { Error = new JSONError { Message = "unauthorized: authentication required" } });
        var error = Assert.Throws<OperationFailedException>(progress.ThrowIfFailed);
        Assert.Equal("unauthorized: authentication required", error.Message);
    }

    [Theory]
    [InlineData("busybox", "docker.io")]
    [InlineData("team/web:1", "docker.io")]
    [InlineData("registry.example.com/team/web:1", "registry.example.com")]
    [InlineData("127.0.0.1:5000/web", "127.0.0.1:5000")]
    [InlineData("localhost/web", "localhost")]
    public void The_registry_of_a_reference_is_named_for_its_credentials(string reference, string registry) =>
        Assert.Equal(registry, ImageReference.Registry(reference));

    [Theory]
    [InlineData("web", "web", null)]
    [InlineData("web:1.2", "web", "1.2")]
    [InlineData("127.0.0.1:5000/team/web", "127.0.0.1:5000/team/web", null)]
    [InlineData("127.0.0.1:5000/team/web:2", "127.0.0.1:5000/team/web", "2")]
    [InlineData("web@sha256:0123456789abcdef0123456789abcdef", "web@sha256:0123456789abcdef0123456789abcdef", null)]
    public void A_reference_splits_into_repository_and_tag(string reference, string repository, string? tag) =>
        Assert.Equal((repository, tag), ImageReference.SplitTag(reference));
}
