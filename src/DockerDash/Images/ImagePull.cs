using Docker.DotNet.Models;
using DockerDash.Jobs;
using DockerDash.Operations;

namespace DockerDash.Images;

/// <summary>Registry credentials typed for one pull or push (never stored, never sent back to a browser).</summary>
public sealed record RegistryCredentials(string Username, string Password);

/// <summary>Reads the engine's JSON progress stream into a background operation: per-layer progress, status lines, and the error that ends it.</summary>
public sealed class EngineProgress(Job operation) : IProgress<JSONMessage>
{
    /// <summary>The engine's error, if the stream carried one: the operation failed even though the call returned.</summary>
    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } error)
        {
            Error = error;
            operation.ReportLine("error: " + error);
        }
        else if (!string.IsNullOrEmpty(value.ID) && !string.IsNullOrEmpty(value.Status) && !value.Status.StartsWith("Pulling from", StringComparison.Ordinal))
        {
            operation.ReportLayer(value.ID, value.Status, value.Progress?.Current ?? 0, value.Progress?.Total ?? 0);
        }
        else if (!string.IsNullOrWhiteSpace(value.Stream))
        {
            operation.ReportLine(value.Stream.TrimEnd('\n', '\r'));
        }
        else if (!string.IsNullOrEmpty(value.Status))
        {
            operation.ReportLine(string.IsNullOrEmpty(value.ID) ? value.Status : $"{value.ID}: {value.Status}");
        }
    }

    /// <summary>Turns an error the engine put in the stream into a failure.</summary>
    public void ThrowIfFailed()
    {
        if (Error is { } error)
        {
            throw new OperationFailedException(error, OperationFailure.Refused);
        }
    }
}
