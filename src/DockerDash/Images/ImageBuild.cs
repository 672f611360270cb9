using System.Formats.Tar;
using System.Text;
using Docker.DotNet.Models;
using DockerDash.Operations;

namespace DockerDash.Images;

/// <summary>
/// What to build: tags, build args (<c>KEY=VALUE</c>), a target stage, no-cache, and where the Dockerfile
/// is in the context (default <c>Dockerfile</c>). Checked before anything reaches the engine.
/// </summary>
public sealed record BuildRequest(IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> BuildArgs, string? Target = null, bool NoCache = false, string? DockerfilePath = null)
{
    /// <summary>Reads build args written one per line as <c>KEY=VALUE</c>.</summary>
    public static IReadOnlyDictionary<string, string> ParseArgs(string? lines)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new OperationFailedException($"'{line}' is not a build arg (write KEY=VALUE).", OperationFailure.Invalid);
            }

            args[line[..equals].Trim()] = line[(equals + 1)..];
        }

        return args;
    }

    /// <summary>Tags separated by spaces, commas or lines.</summary>
    public static IReadOnlyList<string> ParseTags(string? text) =>
        (text ?? "").Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public void Validate()
    {
        if (Tags.Select(ImageReference.Problem).OfType<string>().FirstOrDefault() is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }
    }

    public ImageBuildParameters ToParameters() => new()
    {
        Tags = Tags.ToList(),
        BuildArgs = BuildArgs.ToDictionary(a => a.Key, a => a.Value),
        Target = string.IsNullOrWhiteSpace(Target) ? null : Target.Trim(),
        NoCache = NoCache,
        Dockerfile = string.IsNullOrWhiteSpace(DockerfilePath) ? "Dockerfile" : DockerfilePath.Trim(),
        Remove = true,
        ForceRemove = true,
    };

    /// <summary>A build context holding just a Dockerfile (small: built in memory).</summary>
    public static MemoryStream ContextOf(string dockerfile)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) };
            writer.WriteEntry(entry);
        }

        tar.Position = 0;
        return tar;
    }

    /// <summary>
    /// Writes a build context of loose files (each at the context's root, by its name) into a temporary tar,
    /// file by file; the caller deletes it. Files come from the browser one after another, never all in memory.
    /// </summary>
    public static async Task<string> ContextOfFilesAsync(IEnumerable<(string Name, Func<Stream> Open)> files, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dockerdash-context-{Guid.NewGuid():N}.tar");
        await using var tar = File.Create(path);
        await using var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (name, open) in files)
        {
            if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            {
                throw new OperationFailedException($"'{name}' is not a file name for a build context.", OperationFailure.Invalid);
            }

            // A tar entry needs its length up front: each file passes through a temporary file.
            var spool = Path.GetTempFileName();
            try
            {
                await using (var source = open())
                await using (var copy = File.Create(spool))
                {
                    await source.CopyToAsync(copy, cancellationToken);
                }

                await using var data = File.OpenRead(spool);
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data }, cancellationToken);
            }
            finally
            {
                File.Delete(spool);
            }
        }

        return path;
    }
}
