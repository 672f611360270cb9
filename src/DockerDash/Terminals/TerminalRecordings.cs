using System.Text.RegularExpressions;
using DockerDash.Callers;
using DockerDash.Operations;
using Microsoft.Extensions.Options;

namespace DockerDash.Terminals;

/// <summary>
/// Where console recordings live: <c>recordings/</c> in the data folder (owner-only, like the database), one
/// <c>{session}.cast</c> per session, removed after <c>DockerDash:Exec:RecordingRetentionDays</c>.
/// </summary>
public sealed partial class TerminalRecordings(string folder, IOptions<TerminalOptions> options, TimeProvider time)
{
    public string Folder { get; } = folder;

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex SessionId();

    /// <summary>A recording's session id in an audit message ("recording 0123…"), if it names one.</summary>
    [GeneratedRegex(@"recording ([0-9a-f]{32})")]
    public static partial Regex MentionedIn();

    public string PathOf(string session) =>
        SessionId().IsMatch(session) ? Path.Combine(Folder, session + ".cast") : throw new OperationFailedException("That is not a recording's name.", OperationFailure.Invalid);

    public AsciicastRecorder Start(string session, int cols, int rows, string title)
    {
        Directory.CreateDirectory(Folder);
        return new AsciicastRecorder(PathOf(session), cols, rows, title, time, options.Value.MaxRecordingBytes);
    }

    /// <summary>A recording, for an Admin (<c>console.recording.read</c>), audited as a sensitive read.</summary>
    public Task<Recording> ReadAsync(OperationGate gate, Caller caller, string session, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller, AppOperations.ConsoleRecordingRead, "recording " + session, async ct =>
        {
            var path = PathOf(session);
            if (!File.Exists(path))
            {
                throw new OperationFailedException(
                    $"There is no recording of session {session} (recordings are kept {options.Value.RecordingRetentionDays} days).", OperationFailure.NotFound);
            }

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(file);
            return AsciicastRecorder.Read(await reader.ReadToEndAsync(ct));
        }, cancellationToken);

    /// <summary>Removes recordings older than the retention; returns how many went.</summary>
    public int RemoveExpired()
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var before = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RecordingRetentionDays);
        var removed = 0;
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles("*.cast").Where(f => f.LastWriteTimeUtc < before))
        {
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException)
            {
                // Still being written or gone already: the next sweep sees it.
            }
        }

        return removed;
    }
}

/// <summary>Sweeps expired recordings at start-up and every hour.</summary>
public sealed class RecordingRetention(TerminalRecordings recordings, TimeProvider time, ILogger<RecordingRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            var removed = recordings.RemoveExpired();
            if (removed > 0)
            {
                logger.LogInformation("Removed {Count} console recordings past their retention.", removed);
            }
        }
        while (await hourly.WaitForNextTickAsync(stoppingToken));
    }
}
