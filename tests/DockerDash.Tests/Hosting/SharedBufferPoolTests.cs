using DockerDash.Hosting;

namespace DockerDash.Tests.Hosting;

public sealed class SharedBufferPoolTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SharedBufferPool.Variable);

    public void Dispose() => Environment.SetEnvironmentVariable(SharedBufferPool.Variable, _before);

    [Fact]
    public void Without_a_setting_the_server_asks_for_a_larger_pool()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, null);

        SharedBufferPool.Enlarge();

        Assert.Equal("1024", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    [Fact]
    public void An_operators_own_setting_is_left_as_it_is()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, "64");

        SharedBufferPool.Enlarge();

        Assert.Equal("64", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }
}
