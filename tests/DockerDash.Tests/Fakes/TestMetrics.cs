using DockerDash.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.Tests.Fakes;

/// <summary>An <see cref="AppMetrics"/> on a meter factory of its own, for services made by hand in tests.</summary>
public static class TestMetrics
{
    public static AppMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
}
