namespace DockerDash.IntegrationTests;

/// <summary>
/// The test classes that act on the whole rig engine, not only on what they made themselves: one kills the engine, one
/// prunes every dangling image (an image another test is building could be one), one counts every connection the
/// engine has open, two measure a busy container's CPU against the engine's own figure. xUnit runs them one at a time after every other class, with nothing beside them;
/// the others run two classes at a time (xunit.runner.json), each on containers, networks, registry repositories and
/// databases named for itself.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineWideCollection
{
    public const string Name = "engine-wide";
}
