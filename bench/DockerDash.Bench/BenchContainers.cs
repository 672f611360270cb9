using DockerDash.Testing;

namespace DockerDash.Bench;

/// <summary>Many containers at once on the rig's engine, a few creations at a time (the engine serialises them anyway).</summary>
public static class BenchContainers
{
    /// <summary>Creates <paramref name="count"/> containers running <c>true</c>, not started; <paramref name="labels"/> gets each one's index.</summary>
    public static async Task<List<string>> CreateAsync(RigEngine engine, string prefix, int count, Func<int, IDictionary<string, string>?>? labels = null)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = await engine.RunAsync(prefix, ["true"], start: false, labels: labels?.Invoke(i)));
        return [.. ids];
    }

    public static async Task RemoveAsync(RigEngine engine, IEnumerable<string> ids) =>
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await engine.RemoveAsync(id));
}
