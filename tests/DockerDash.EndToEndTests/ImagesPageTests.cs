using Docker.DotNet.Models;
using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

public class ImagesPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Pulling_from_the_local_registry_shows_progress_until_done_and_the_image_appears()
    {
        var reference = $"{TestRig.Registry}/dockerdash/e2e-pull-{TestRig.RunId}:1";
        var source = await fixture.Engine.RunAsync("e2e-pull-src", ["sh", "-c", "dd if=/dev/urandom of=/blob bs=1k count=2048 2>/dev/null"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(source);
        await fixture.Engine.Client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters { ContainerID = source, RepositoryName = reference[..reference.LastIndexOf(':')], Tag = "1" });
        await fixture.Engine.Client.Images.PushImageAsync(reference, new ImagePushParameters(), new AuthConfig(), new Progress<JSONMessage>());
        await fixture.Engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });

        var page = await fixture.OpenAsync("/images");
        await page.Locator("input[data-testid=pull-reference]").FillAsync(reference);
        await page.Locator("[data-testid=pull-start]").ClickAsync();

        var operation = page.Locator($"[data-testid=operation][data-title='Pull {reference}']");
        await Expect(operation).ToBeVisibleAsync();
        await Expect(operation.Locator("[data-testid=job-state]")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(operation.Locator("[data-testid=job-layer]").First).ToBeVisibleAsync();
        await Expect(operation.Locator("[data-testid=job-outcome]")).ToHaveTextAsync($"Pulled {reference}.");
        await BrowserFixture.ScreenshotAsync(page, "images-pull-done");

        await page.Locator("[data-testid=jobs-panel] [aria-label='close jobs']").ClickAsync();
        await Expect(page.Locator($"[data-testid=image-row][data-tags*='e2e-pull-{TestRig.RunId}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_filesystem_tar_chosen_in_the_browser_is_imported_as_an_image()
    {
        var reference = $"dockerdash-test/e2e-import-{TestRig.RunId}:1";
        var file = Path.Combine(Path.GetTempPath(), $"e2e-import-{TestRig.RunId}.tar");
        await using (var tar = GeneratedTar.Of("hello.txt", 4096))
        await using (var output = File.Create(file))
        {
            await tar.CopyToAsync(output);
        }

        var page = await fixture.OpenAsync("/images");
        await page.GetByText("Load or import a tar").ClickAsync();
        await page.Locator("[data-testid=upload-file]").SetInputFilesAsync(file);
        await page.Locator("input[data-testid=import-reference]").FillAsync(reference);
        await page.Locator("[data-testid=import-go]").ClickAsync();

        await Expect(page.Locator("[data-testid=upload-result]")).ToContainTextAsync("sha256:", new() { Timeout = 30_000 });
        await Expect(page.Locator($"[data-testid=image-row][data-tags*='e2e-import-{TestRig.RunId}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        File.Delete(file);
    }

    [Fact]
    public async Task A_dockerfile_written_in_the_page_builds_with_its_output_streaming_into_the_panel()
    {
        var tag = $"dockerdash-test/e2e-built-{TestRig.RunId}:1";
        var page = await fixture.OpenAsync("/images");
        await page.GetByText("Build an image").ClickAsync();
        // Fields reach the server when they lose focus: the Dockerfile last, and the button used once the server has it
        // (a field left focused was sent by the click itself, and on a busy machine the build started untagged).
        await page.Locator("input[data-testid=build-tags]").FillAsync(tag);
        await page.Locator("textarea[data-testid=build-args]").FillAsync("WHO=chromium");
        var dockerfile = page.Locator("textarea[data-testid=build-dockerfile]");
        await dockerfile.FillAsync($"FROM {TestRig.Image}\nARG WHO\nRUN echo built by $WHO for {TestRig.RunId}\n");
        await dockerfile.BlurAsync();
        await Expect(page.Locator("[data-testid=build-go]")).ToBeEnabledAsync();
        await page.Locator("[data-testid=build-go]").ClickAsync();

        var operation = page.Locator($"[data-testid=operation][data-title='Build {tag}']");
        await Expect(operation.Locator("[data-testid=job-state]")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(operation).ToContainTextAsync($"built by chromium for {TestRig.RunId}");
        await BrowserFixture.ScreenshotAsync(page, "images-build-done");
    }

    [Fact]
    public async Task A_set_of_files_chosen_in_the_browser_builds_as_a_context()
    {
        var tag = $"dockerdash-test/e2e-files-{TestRig.RunId}:1";
        var page = await fixture.OpenAsync("/images");
        await page.GetByText("Build an image").ClickAsync();
        var tags = page.Locator("input[data-testid=build-tags]");
        await tags.FillAsync(tag);
        await tags.BlurAsync();
        await page.Locator("input[data-testid=build-files]").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "Dockerfile", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes($"FROM {TestRig.Image}\nCOPY message.txt /message.txt\nRUN cat /message.txt\n") },
            new FilePayload { Name = "message.txt", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes($"copied from the browser {TestRig.RunId}\n") },
        });
        await Expect(page.Locator("[data-testid=build-files-go]")).ToHaveTextAsync("Build these 2 files");
        await page.Locator("[data-testid=build-files-go]").ClickAsync();

        var operation = page.Locator($"[data-testid=operation][data-title='Build {tag}']");
        await Expect(operation.Locator("[data-testid=job-state]")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(operation).ToContainTextAsync($"copied from the browser {TestRig.RunId}");
    }

    [Fact]
    public async Task A_malformed_reference_is_explained_and_cannot_be_pulled()
    {
        var page = await fixture.OpenAsync("/images");

        await page.Locator("input[data-testid=pull-reference]").FillAsync("No Such Thing");

        await Expect(page.GetByText("not a valid image reference")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=pull-start]")).ToBeDisabledAsync();
    }
}
