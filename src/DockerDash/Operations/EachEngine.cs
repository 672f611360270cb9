using DockerDash.Callers;
using DockerDash.Engines;

namespace DockerDash.Operations;

/// <summary>What was listed across engines, and the engines that could not be asked (with why), which do not spoil the rest.</summary>
public sealed record AcrossEngines<T>(IReadOnlyList<T> Items, IReadOnlyList<string> Unreachable);

/// <summary>Lists one kind of thing on one engine, or on every engine the caller may list it on.</summary>
public static class EachEngine
{
    /// <param name="engine">One engine (its failure is the caller's error), or null for every engine <paramref name="operation"/> allows (a failing one is named in <c>Unreachable</c>).</param>
    public static async Task<AcrossEngines<T>> ListAsync<T>(
        OperationGate gate, EngineDirectory engines, Caller caller, Operation operation, string? engine, Func<string, Task<IReadOnlyList<T>>> listOne)
    {
        var names = engine is null ? engines.Connections.Select(c => c.Name).Where(n => gate.IsAllowed(caller, operation, n)).ToList() : [engine];
        var items = new List<T>();
        var unreachable = new List<string>();
        foreach (var name in names)
        {
            try
            {
                items.AddRange(await listOne(name));
            }
            catch (OperationFailedException e) when (engine is null && e is not OperationDeniedException)
            {
                unreachable.Add($"{name}: {e.Message}");
            }
        }

        return new AcrossEngines<T>(items, unreachable);
    }
}
