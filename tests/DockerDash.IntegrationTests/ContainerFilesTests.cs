using System.Net;
using System.Net.Http.Headers;
using DockerDash.Files;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>A container's files through the archive endpoints: list, stat, upload, download, limits and errors.</summary>
public sealed class ContainerFilesTests(AppFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private const long MegaByte = 1024 * 1024;

    private ContainerFiles Files() => fixture.App.As<ContainerFiles>();

    private async Task<HttpClient> AdminHttpAsync()
    {
        var http = new HttpClient { BaseAddress = fixture.App.Address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.TokenAsync(DashboardRole.Admin));
        return http;
    }

    [Fact]
    public async Task A_file_uploaded_into_a_container_is_listed_and_downloaded_back()
    {
        var id = await fixture.Engine.RunSleeperAsync("files");
        using var http = await AdminHttpAsync();

        using var uploaded = await http.PostAsync(new Uri(FileEndpoints.UploadPath("rig", id, "/etc") + "&name=note.txt", UriKind.Relative), new StringContent("written through DockerDash\n"));
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());

        var listing = await Files().ListAsync("rig", id, "/etc");
        var note = Assert.Single(listing.Entries, e => e.Name == "note.txt");
        Assert.Equal(27, note.Size);
        Assert.False(note.IsDirectory);
        Assert.Equal("written through DockerDash\n", await http.GetStringAsync(new Uri(FileEndpoints.DownloadPath("rig", id, "/etc/note.txt"), UriKind.Relative)));
        Assert.False(listing.Truncated);
    }

    [Fact]
    public async Task A_stopped_containers_directories_can_be_browsed()
    {
        var id = await fixture.Engine.RunAsync("files-stopped", ["true"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(id);

        var root = await Files().ListAsync("rig", id, "/");
        var etc = await Files().StatAsync("rig", id, "/etc");

        Assert.Contains(root.Entries, e => e.Name == "etc" && e.IsDirectory);
        Assert.Contains(root.Entries, e => e.Name == "bin" && e.IsDirectory);
        Assert.True(etc.IsDirectory);
        Assert.True(root.Entries.TakeWhile(e => e.IsDirectory).Count() >= 2, "directories come first");
    }

    [Fact]
    public async Task A_path_the_engine_does_not_have_is_its_error_not_a_crash()
    {
        var id = await fixture.Engine.RunSleeperAsync("files-missing");
        using var http = await AdminHttpAsync();

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Files().ListAsync("rig", id, "/no/such/place"));
        using var download = await http.GetAsync(new Uri(FileEndpoints.DownloadPath("rig", id, "/no/such/file"), UriKind.Relative));

        Assert.Equal(OperationFailure.NotFound, error.Failure);
        Assert.Contains("/no/such/place", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public async Task An_upload_into_a_directory_the_container_lacks_gets_the_engines_error()
    {
        var id = await fixture.Engine.RunSleeperAsync("files-nodir");
        using var http = await AdminHttpAsync();

        using var response = await http.PostAsync(new Uri(FileEndpoints.UploadPath("rig", id, "/no-such-dir") + "&name=a.txt", UriKind.Relative), new StringContent("a"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/no-such-dir", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_limit_or_with_a_bad_name_is_refused_with_a_message()
    {
        var id = await fixture.Engine.RunSleeperAsync("files-limit");

        var tooBig = await Assert.ThrowsAsync<OperationFailedException>(() => Files().UploadAsync("rig", id, "/tmp", "big.bin", 2048, new Zeros(2048), maxBytes: 1024));
        var badName = await Assert.ThrowsAsync<OperationFailedException>(() => Files().UploadAsync("rig", id, "/tmp", "../escape", 1, new Zeros(1), maxBytes: 1024));

        Assert.Equal("big.bin is 2,048 bytes; uploads into containers are limited to 1,024 bytes (DockerDash:Uploads:MaxFileBytes).", tooBig.Message);
        Assert.StartsWith("'../escape' is not a file name that can be uploaded", badName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_MB_upload_into_a_container_keeps_the_servers_memory_growth_under_50_MB()
    {
        var id = await fixture.Engine.RunSleeperAsync("files-big");
        using var http = await AdminHttpAsync();
        HttpResponseMessage? response = null;
        var growth = await MemoryProbe.PeakGrowthAsync(async () =>
        {
            using var content = new StreamContent(new Zeros(200 * MegaByte));
            content.Headers.ContentLength = 200 * MegaByte;
            response = await http.PostAsync(new Uri(FileEndpoints.UploadPath("rig", id, "/") + "&name=big.bin", UriKind.Relative), content);
        });

        using (response)
        {
            Assert.True(response!.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(200 * MegaByte, (await Files().StatAsync("rig", id, "/big.bin")).Size);
        output.WriteLine($"memory growth: {growth / (double)MegaByte:0.0} MB");
        Assert.True(growth < 50 * MegaByte, $"the upload grew the process by {growth / MegaByte} MB");
    }
}
