using System.Net.Http.Headers;
using System.Text.Json;
using DockerDash.Jobs;
using DockerDash.Operations;
using static DockerDash.Operations.EngineOperations;
using DockerDash.Callers;

namespace DockerDash.Images;

/// <summary>
/// Tar files in and out of an engine, streamed end to end through the gate: a container's filesystem
/// (export), images (save and load), a filesystem as a new image (import). Nothing is held whole in memory.
/// </summary>
public sealed class ImageTransfers(OperationGate gate, JobRunner jobs, CallerContext caller)
{
    private Caller Caller => caller.Current;

    public Task ExportContainerAsync(string engine, string container, Stream output, CancellationToken cancellationToken) =>
        DownloadAsync(ContainerExport, engine, container, $"containers/{Uri.EscapeDataString(container)}/export", output, cancellationToken);

    public Task SaveImagesAsync(string engine, IReadOnlyList<string> images, Stream output, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            throw new OperationFailedException("Name at least one image to save.", OperationFailure.Invalid);
        }

        var title = $"Save {string.Join(", ", images)}";
        gate.Authorize(Caller, ImageSave, engine, title);
        return jobs.RunAndWaitAsync("save", title, engine, Caller, async (operation, ct) =>
        {
            var counted = new JobProgressStream(output, operation, "tar", 0);
            await DownloadAsync(ImageSave, engine, string.Join(", ", images), "images/get?" + string.Join('&', images.Select(i => "names=" + Uri.EscapeDataString(i))), counted, ct);
            return (true, $"Saved {counted.Bytes / 1024.0 / 1024.0:0.0} MiB.");
        }, cancellationToken);
    }

    /// <summary>Loads the images of a tar made by save (shown as an operation while it runs); returns what the engine says it loaded.</summary>
    public Task<string> LoadImagesAsync(string engine, Stream tar, long? length, CancellationToken cancellationToken)
    {
        gate.Authorize(Caller, ImageLoad, engine, "image tar");
        return jobs.RunAndWaitAsync("load", "Load images", engine, Caller, async (operation, ct) =>
        {
            var report = await UploadAsync(ImageLoad, engine, "image tar", "images/load", new JobProgressStream(tar, operation, "tar", length ?? 0), ct);
            return (report, report.Length > 0 ? report : "Loaded.");
        }, cancellationToken);
    }

    /// <summary>Makes an image of a filesystem tar, named <paramref name="reference"/>; returns the engine's report.</summary>
    public Task<string> ImportAsync(string engine, Stream tar, string reference, string? message, CancellationToken cancellationToken)
    {
        reference = reference.Trim();
        if (ImageReference.Problem(reference) is { } problem)
        {
            throw new OperationFailedException(problem, OperationFailure.Invalid);
        }

        var (repository, tag) = ImageReference.SplitTag(reference);
        var query = $"images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag ?? "latest")}"
            + (string.IsNullOrWhiteSpace(message) ? "" : "&message=" + Uri.EscapeDataString(message.Trim()));
        return UploadAsync(ImageImport, engine, reference, query, tar, cancellationToken);
    }

    private async Task DownloadAsync(Operation operation, string engine, string target, string path, Stream output, CancellationToken cancellationToken) =>
        await gate.RunHttpAsync(Caller, operation, engine, target, async (http, ct) =>
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct);
            await ThrowIfRefusedAsync(response, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(output, ct);
            return true;
        }, cancellationToken);

    private Task<string> UploadAsync(Operation operation, string engine, string target, string path, Stream tar, CancellationToken cancellationToken) =>
        gate.RunHttpAsync(Caller, operation, engine, target, async (http, ct) =>
        {
            using var content = new StreamContent(tar, 81920);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await ThrowIfRefusedAsync(response, ct);
            return Report(await response.Content.ReadAsStringAsync(ct));
        }, cancellationToken);

    /// <summary>The engine's JSON lines (<c>{"stream": ...}</c>, <c>{"status": ...}</c>, <c>{"error": ...}</c>) as text; an error line is a refusal.</summary>
    private static string Report(string body)
    {
        var lines = new List<string>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                throw new OperationFailedException(error.GetString() ?? "The engine refused.", OperationFailure.Refused);
            }

            foreach (var name in new[] { "stream", "status" })
            {
                if (json.RootElement.TryGetProperty(name, out var text) && text.GetString() is { Length: > 0 } value)
                {
                    lines.Add(value.Trim());
                }
            }
        }

        return string.Join('\n', lines.Where(l => l.Length > 0));
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            using var json = JsonDocument.Parse(body);
            message = json.RootElement.GetProperty("message").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            message = body.Trim();
        }

        throw new OperationFailedException(message, response.StatusCode == System.Net.HttpStatusCode.NotFound ? OperationFailure.NotFound : OperationFailure.Refused);
    }
}
