namespace DockerDash.IntegrationTests;

/// <summary>
/// The test classes that must have the rig and the test process to themselves, as they look at more than what they made:
/// one kills the engine; one prunes every dangling image (an image another class is building could be one); one counts
/// every connection the engine has open; two measure a busy container's CPU against the engine's own figure; and the
/// metrics tests, as OpenTelemetry listens to every app's meters in the process (a counter's series belong to whichever
/// app made it first, and go when that app stops). xUnit runs these one at a time after every other class, with nothing
/// beside them; the others run two classes at a time (xunit.runner.json), each on containers, networks, registry
/// repositories and databases named for itself.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
