using System.Globalization;

namespace DockerDash.Hosting;

/// <summary>
/// Lets the runtime's shared array pool keep up to <see cref="ArraysPerCore"/> arrays of each size for each core instead of
/// its default 32. Every hub connection writes its messages into a pipe made of 4 KB arrays from that pool, and 50 viewers
/// following a chatty log hold over a thousand of them at once: with the default, nearly every write allocated new arrays
/// for the garbage collector to clear and collect (bench/results/fanout.md). Arrays are kept only after being given back,
/// so the pool holds at most what was once in use together, and the runtime trims what stays unused.
/// The runtime reads the setting from the environment once, when the pool is first used: hence first thing in Main.
/// A value already in the environment is left as it is.
/// </summary>
public static class SharedBufferPool
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    public const int ArraysPerCore = 1024;

    public static void Enlarge()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerCore.ToString(CultureInfo.InvariantCulture));
        }
    }
}
