namespace DockerDash.Bench;

/// <summary>What the ingest benchmark reads of a log entry (the client deserialises only these); public, so MessagePack can make it.</summary>
public sealed record IngestEntry(string? Text, long? Skipped);
