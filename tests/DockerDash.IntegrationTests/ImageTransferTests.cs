using System.Diagnostics;
using System.Formats.Tar;
using System.Net.Http.Headers;
using Docker.DotNet.Models;
using DockerDash.Jobs;
using DockerDash.Images;
using DockerDash.Security;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Push, commit, save / load, import and export against the real engine and registry, streamed.</summary>
public sealed class ImageTransferTests(AppFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private const long MegaByte = 1024 * 1024;

    private ImageService Images() => fixture.App.As<ImageService>();

    private async Task<HttpClient> AdminHttpAsync()
    {
        var http = new HttpClient { BaseAddress = fixture.App.Address, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.TokenAsync(DashboardRole.Admin));
        return http;
    }

    private async Task<string> LogsOfAsync(string id)
    {
        await fixture.Engine.Client.Containers.WaitContainerAsync(id);
        using var logs = await fixture.Engine.Client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        return stdout + stderr;
    }

    [Fact]
    public async Task A_committed_container_runs_as_a_new_image_with_the_changes()
    {
        var source = await fixture.Engine.RunAsync("commit", ["sh", "-c", "echo committed-content > /marker"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(source);
        var reference = $"dockerdash-test/committed-{TestRig.RunId}:1";

        var image = await Images().CommitAsync("rig", source, reference, "a test commit", "DockerDash tests", "CMD [\"cat\", \"/marker\"]\nENV GREETING=hi");

        var details = await Images().InspectAsync("rig", image);
        Assert.Contains(reference, details.Image.Tags);
        Assert.Contains(fixture.App.Get<JobRunner>().All, o => o.Kind == "commit" && o.State == JobState.Succeeded && o.Outcome!.StartsWith($"Committed as {reference}", StringComparison.Ordinal));
        Assert.Equal("DockerDash tests", details.Author);
        Assert.Contains("GREETING=hi", details.Env);
        var run = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = reference, Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId }, HostConfig = new HostConfig { NetworkMode = "none" } });
        fixture.Engine.Track(run.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(run.ID, new ContainerStartParameters());
        Assert.Equal("committed-content", (await LogsOfAsync(run.ID)).Trim());
    }

    [Fact]
    public async Task A_commit_with_a_change_it_cannot_apply_is_refused_before_the_engine_is_asked()
    {
        var error = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() =>
            Images().CommitAsync("rig", "any", "dockerdash-test/x:1", null, null, "RUN rm -rf /"));

        Assert.StartsWith("'RUN rm -rf /' is not a change a commit can apply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pushed_image_is_removed_and_pulled_back_under_another_name()
    {
        var reference = $"{TestRig.Registry}/dockerdash/pushed-{TestRig.RunId}:1";
        await Images().TagAsync("rig", TestRig.Image, reference);

        var push = Images().StartPush("rig", reference);
        await push.Completion.WaitAsync(Patience);
        Assert.True(push.State == JobState.Succeeded, push.Outcome);
        Assert.NotEmpty(push.Layers);

        await Images().RemoveAsync("rig", reference, force: false, keepParents: false);
        var pull = Images().StartPull("rig", reference);
        await pull.Completion.WaitAsync(Patience);
        Assert.True(pull.State == JobState.Succeeded, pull.Outcome);
        var renamed = $"dockerdash-test/pulled-back-{TestRig.RunId}:1";
        await Images().TagAsync("rig", reference, renamed);
        Assert.Equal((await Images().InspectAsync("rig", TestRig.Image)).Image.Id, (await Images().InspectAsync("rig", renamed)).Image.Id);
    }

    [Fact]
    public async Task A_saved_image_is_loaded_back_with_the_same_id()
    {
        var reference = $"dockerdash-test/saved-{TestRig.RunId}:1";
        await Images().TagAsync("rig", TestRig.Image, reference);
        var id = (await Images().InspectAsync("rig", reference)).Image.Id;
        using var http = await AdminHttpAsync();
        var file = Path.GetTempFileName();
        try
        {
            using (var saved = await http.GetAsync(new Uri(TransferEndpoints.SavePath("rig", [reference]), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
            {
                saved.EnsureSuccessStatusCode();
                await using var output = File.Create(file);
                await saved.Content.CopyToAsync(output);
            }

            await Images().RemoveAsync("rig", reference, force: false, keepParents: false);
            await using var input = File.OpenRead(file);
            using var loaded = await http.PostAsync(new Uri("/images/rig/load", UriKind.Relative), new StreamContent(input));
            var report = await loaded.Content.ReadAsStringAsync();

            Assert.True(loaded.IsSuccessStatusCode, report);
            Assert.Contains($"Loaded image: {reference}", report, StringComparison.Ordinal);
            Assert.Equal(id, (await Images().InspectAsync("rig", reference)).Image.Id);
            var operations = fixture.App.Get<JobRunner>().All;
            Assert.Contains(operations, o => o.Kind == "save" && o.Title == $"Save {reference}" && o.State == JobState.Succeeded && o.Layers.Single().Current > 0);
            Assert.Contains(operations, o => o.Kind == "load" && o.State == JobState.Succeeded && o.Outcome!.Contains(reference, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_exported_container_has_its_files_in_the_tar()
    {
        var id = await fixture.Engine.RunAsync("export", ["sh", "-c", "echo exported > /etc/dockerdash-marker"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(id);
        using var http = await AdminHttpAsync();

        using var response = await http.GetAsync(new Uri(TransferEndpoints.ExportPath("rig", id), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var tar = new TarReader(await response.Content.ReadAsStreamAsync());
        string? content = null;
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == "etc/dockerdash-marker")
            {
                using var reader = new StreamReader(entry.DataStream!);
                content = await reader.ReadToEndAsync();
            }
        }

        Assert.Equal("exported\n", content);
    }

    [Fact]
    public async Task An_imported_filesystem_tar_becomes_an_image()
    {
        var reference = $"dockerdash-test/imported-{TestRig.RunId}:1";
        using var http = await AdminHttpAsync();
        await using var tar = GeneratedTar.Of("hello.txt", 1024);

        using var response = await http.PostAsync(new Uri($"/images/rig/import?reference={Uri.EscapeDataString(reference)}&message=from+a+test", UriKind.Relative), new StreamContent(tar));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var details = await Images().InspectAsync("rig", reference);
        Assert.Contains(reference, details.Image.Tags);
        Assert.Contains(await Images().HistoryAsync("rig", reference), l => l.Comment == "from a test");
    }

    [Fact]
    public async Task An_import_with_a_malformed_name_is_a_400_with_the_reason()
    {
        using var http = await AdminHttpAsync();

        using var response = await http.PostAsync(new Uri("/images/rig/import?reference=Not%20Valid", UriKind.Relative), new ByteArrayContent(new byte[1024]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a valid image reference", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_MB_export_and_a_200_MB_upload_keep_the_servers_memory_growth_under_50_MB()
    {
        var id = await fixture.Engine.RunAsync("export-big", ["sh", "-c", "dd if=/dev/urandom of=/big bs=1M count=200 2>/dev/null"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(id);
        using var http = await AdminHttpAsync();

        var exportGrowth = await MemoryProbe.PeakGrowthAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri(TransferEndpoints.ExportPath("rig", id), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var total = await DrainAsync(body);
            Assert.True(total > 200 * MegaByte, $"{total} bytes exported");
        });
        var uploadGrowth = await MemoryProbe.PeakGrowthAsync(async () =>
        {
            await using var tar = GeneratedTar.Of("big.bin", 200 * MegaByte);
            using var response = await http.PostAsync(new Uri($"/images/rig/import?reference=dockerdash-test/big-{TestRig.RunId}:1", UriKind.Relative), new StreamContent(tar));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        });

        output.WriteLine($"memory growth: export {exportGrowth / (double)MegaByte:0.0} MB, upload {uploadGrowth / (double)MegaByte:0.0} MB");
        Assert.True(exportGrowth < 50 * MegaByte, $"export grew the process by {exportGrowth / MegaByte} MB");
        Assert.True(uploadGrowth < 50 * MegaByte, $"upload grew the process by {uploadGrowth / MegaByte} MB");
    }

    private static async Task<long> DrainAsync(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
