using DockerDash.Images;

namespace DockerDash.Tests.Images;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox")]
    [InlineData("busybox:1.36")]
    [InlineData("library/busybox:latest")]
    [InlineData("localhost:5000/team/app")]
    [InlineData("127.0.0.1:5000/app:v1.2.3")]
    [InlineData("ghcr.io/org/some_app-name:tag_1")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Valid_references_pass(string reference) => Assert.Null(ImageReference.Problem(reference));

    [Theory]
    [InlineData("", "Name an image")]
    [InlineData("BusyBox", "lowercase")]
    [InlineData("busybox:", "not a valid image reference")]
    [InlineData("bad name", "not a valid image reference")]
    [InlineData(" busybox", "no spaces")]
    [InlineData("app:-tag", "not a valid image reference")]
    public void Invalid_references_are_explained(string reference, string message) =>
        Assert.Contains(message, ImageReference.Problem(reference), StringComparison.Ordinal);
}
