using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DockerDash.Operations;
using static DockerDash.Operations.EngineOperations;
using DockerDash.Callers;

namespace DockerDash.Files;

/// <summary>A path in a container as the engine's archive endpoint describes it.</summary>
public sealed record FileStat(string Name, long Size, bool IsDirectory, bool IsLink, string? LinkTarget, DateTimeOffset Modified, string Mode);

/// <summary>A directory's entries (the first <see cref="ContainerFiles.MaxEntries"/>), and whether there were more.</summary>
public sealed record DirectoryListing(string Path, IReadOnlyList<FileStat> Entries, bool Truncated);

/// <summary>
/// The files of a running or stopped container, through the engine's archive endpoints and the gate:
/// stat, list a directory, download a file or directory, upload a file (streamed, within a size limit).
/// </summary>
public sealed class ContainerFiles(OperationGate gate, CallerContext caller)
{
    public const int MaxEntries = 5_000;

    private Caller Caller => caller.Current;

    public Task<FileStat> StatAsync(string engine, string container, string path, CancellationToken cancellationToken = default) =>
        gate.RunHttpAsync(Caller, ContainerFilesRead, engine, $"{container}:{path}", async (http, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, ArchivePath(container, path));
            using var response = await http.SendAsync(request, ct);
            await ThrowIfRefusedAsync(response, path, ct);
            return StatOf(response);
        }, cancellationToken);

    /// <summary>The entries directly in <paramref name="path"/>, directories first. The engine sends the whole subtree; reading stops at <see cref="MaxEntries"/>.</summary>
    public Task<DirectoryListing> ListAsync(string engine, string container, string path, CancellationToken cancellationToken = default) =>
        gate.RunHttpAsync(Caller, ContainerFilesRead, engine, $"{container}:{path}", async (http, ct) =>
        {
            using var response = await http.GetAsync(ArchivePath(container, path), HttpCompletionOption.ResponseHeadersRead, ct);
            await ThrowIfRefusedAsync(response, path, ct);
            var stat = StatOf(response);
            if (!stat.IsDirectory)
            {
                throw new OperationFailedException($"{path} is a file, not a directory.", OperationFailure.Invalid);
            }

            await using var tar = new TarReader(await response.Content.ReadAsStreamAsync(ct));
            var entries = new List<FileStat>();
            var seen = 0;
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                // Entries are named "<dir>/child[/...]": keep the direct children.
                var parts = entry.Name.TrimEnd('/').Split('/');
                if (parts.Length == 2)
                {
                    entries.Add(new FileStat(parts[1], entry.Length, entry.EntryType == TarEntryType.Directory, entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink,
                        string.IsNullOrEmpty(entry.LinkName) ? null : entry.LinkName, entry.ModificationTime, Convert.ToString((int)entry.Mode, 8)));
                }

                if (++seen >= MaxEntries)
                {
                    return new DirectoryListing(path, Sorted(entries), Truncated: true);
                }
            }

            return new DirectoryListing(path, Sorted(entries), Truncated: false);
        }, cancellationToken);

    /// <summary>Writes a file's bytes, or a directory as a tar, to <paramref name="output"/>, streamed.</summary>
    public Task DownloadAsync(string engine, string container, string path, Stream output, CancellationToken cancellationToken = default) =>
        gate.RunHttpAsync(Caller, ContainerFilesRead, engine, $"{container}:{path}", async (http, ct) =>
        {
            using var response = await http.GetAsync(ArchivePath(container, path), HttpCompletionOption.ResponseHeadersRead, ct);
            await ThrowIfRefusedAsync(response, path, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            if (StatOf(response).IsDirectory)
            {
                await body.CopyToAsync(output, ct);
                return true;
            }

            await using var tar = new TarReader(body);
            if (await tar.GetNextEntryAsync(copyData: false, ct) is { DataStream: { } data })
            {
                await data.CopyToAsync(output, ct);
            }

            return true;
        }, cancellationToken);

    /// <summary>Puts a file into <paramref name="directory"/> of the container, streamed from <paramref name="content"/> (exactly <paramref name="size"/> bytes).</summary>
    public Task UploadAsync(string engine, string container, string directory, string fileName, long size, Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        if (size > maxBytes)
        {
            throw new OperationFailedException($"{fileName} is {size:N0} bytes; uploads into containers are limited to {maxBytes:N0} bytes (DockerDash:Uploads:MaxFileBytes).", OperationFailure.Invalid);
        }

        if (string.IsNullOrWhiteSpace(fileName) || fileName.Contains('/', StringComparison.Ordinal) || fileName is "." or ".." || Encoding.UTF8.GetByteCount(fileName) > 100)
        {
            throw new OperationFailedException($"'{fileName}' is not a file name that can be uploaded (no slashes, at most 100 bytes).", OperationFailure.Invalid);
        }

        return gate.RunHttpAsync(Caller, ContainerFilesWrite, engine, $"{container}:{directory.TrimEnd('/')}/{fileName}", async (http, ct) =>
        {
            // Asked first: the engine refuses a bad path only once the upload is under way, which a client sees as a broken pipe.
            using (var head = new HttpRequestMessage(HttpMethod.Head, ArchivePath(container, directory)))
            using (var found = await http.SendAsync(head, ct))
            {
                await ThrowIfRefusedAsync(found, directory, ct);
                if (!StatOf(found).IsDirectory)
                {
                    throw new OperationFailedException($"{directory} is a file; upload into a directory.", OperationFailure.Invalid);
                }
            }

            await using var tar = new SingleFileTar(fileName, size, content, DateTimeOffset.UtcNow);
            using var body = new StreamContent(tar, 81920);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
            body.Headers.ContentLength = tar.Length;
            using var response = await http.PutAsync(ArchivePath(container, directory), body, ct);
            await ThrowIfRefusedAsync(response, directory, ct);
            return true;
        }, cancellationToken);
    }

    private static Uri ArchivePath(string container, string path) =>
        new($"containers/{Uri.EscapeDataString(container)}/archive?path={Uri.EscapeDataString(string.IsNullOrWhiteSpace(path) ? "/" : path)}", UriKind.Relative);

    private static List<FileStat> Sorted(List<FileStat> entries) =>
        [.. entries.OrderByDescending(e => e.IsDirectory).ThenBy(e => e.Name, StringComparer.Ordinal)];

    /// <summary>The engine's <c>X-Docker-Container-Path-Stat</c> header: base64 JSON of the path's name, size, mode and mtime.</summary>
    private static FileStat StatOf(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("X-Docker-Container-Path-Stat", out var values) ? values.First() : throw new OperationFailedException("The engine sent no file information.", OperationFailure.Refused);
        var stat = JsonSerializer.Deserialize<PathStat>(Convert.FromBase64String(header)) ?? throw new OperationFailedException("The engine sent unreadable file information.", OperationFailure.Refused);
        const uint directoryBit = 1u << 31;
        const uint linkBit = 1u << 27;
        return new FileStat(stat.Name, stat.Size, (stat.Mode & directoryBit) != 0, (stat.Mode & linkBit) != 0, string.IsNullOrEmpty(stat.LinkTarget) ? null : stat.LinkTarget, stat.Mtime, Convert.ToString(stat.Mode & 0x1FF, 8));
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = response.Content.Headers.ContentLength == 0 ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        var message = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() : null;
        throw new OperationFailedException(
            message ?? (response.StatusCode == System.Net.HttpStatusCode.NotFound ? $"There is no {path} in the container." : $"The engine answered {(int)response.StatusCode} for {path}."),
            response.StatusCode == System.Net.HttpStatusCode.NotFound ? OperationFailure.NotFound : OperationFailure.Refused);
    }

    private sealed record PathStat(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("mode")] uint Mode,
        [property: JsonPropertyName("mtime")] DateTimeOffset Mtime,
        [property: JsonPropertyName("linkTarget")] string? LinkTarget);
}
