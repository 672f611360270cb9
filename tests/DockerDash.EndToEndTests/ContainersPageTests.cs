using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

public class ContainersPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static ILocator Row(IPage page, string name) => page.Locator($"tr:has([data-name='{name}'])");

    [Fact]
    public async Task A_container_started_elsewhere_appears_and_the_rows_stop_button_stops_it()
    {
        var page = await fixture.OpenAsync("/containers");
        var id = await fixture.Engine.RunSleeperAsync("e2e-row");
        var name = (await fixture.Engine.InspectAsync(id)).Name.TrimStart('/');

        var row = Row(page, name);
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "running");
        await BrowserFixture.ScreenshotAsync(page, "containers-desktop");

        await row.Locator("[data-testid=row-stop]").ClickAsync();

        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "exited", new() { Timeout = 15_000 });
        Assert.False((await fixture.Engine.InspectAsync(id)).State!.Running);
    }

    [Fact]
    public async Task Live_cpu_and_memory_appear_in_the_list_when_asked_for()
    {
        // A container that burns a core: removed when this test ends, not when the class does.
        await using var busy = new RigContainer(await fixture.Engine.RunAsync("e2e-busy", ["sh", "-c", "while true; do :; done"]), fixture.Engine);
        var name = (await fixture.Engine.InspectAsync(busy.Id)).Name.TrimStart('/');
        var page = await fixture.OpenAsync($"/containers?q={name}");

        await page.Locator("input[data-testid=stats-toggle]").CheckAsync();

        var stats = Row(page, name).Locator("[data-testid=row-stats]");
        await Expect(stats).ToContainTextAsync("%", new() { Timeout = 15_000 });
        var cpu = await Eventually.GetAsync(
            async () => await stats.TextContentAsync() ?? "",
            text => double.Parse(text[..text.IndexOf('%', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) > 10,
            TimeSpan.FromSeconds(10),
            "a busy container's CPU above 10 %");
        Assert.Contains("iB", cpu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_phone_the_page_has_no_horizontal_scrolling_and_actions_are_reachable()
    {
        var id = await fixture.Engine.RunSleeperAsync("e2e-phone", labels: new Dictionary<string, string> { ["com.docker.compose.project"] = "phone-demo" });
        var name = (await fixture.Engine.InspectAsync(id)).Name.TrimStart('/');
        var page = await fixture.OpenAsync($"/containers?q={name}", width: 390, height: 844);

        await Expect(Row(page, name).Locator("[data-testid=row-stop]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "containers-phone");

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.Equal(widths[1], widths[0]);
    }

    [Fact]
    public async Task The_detail_page_stops_a_container_and_shows_the_exit()
    {
        var id = await fixture.Engine.RunSleeperAsync("e2e-detail");
        var page = await fixture.OpenAsync($"/containers/rig/{id}");
        await Expect(page.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "running");

        await page.Locator("[data-testid=action-stop]").ClickAsync();
        await page.Locator("[data-testid=confirm-stop]").ClickAsync();

        await Expect(page.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "exited", new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=exit-code]")).ToHaveTextAsync("0");
        await BrowserFixture.ScreenshotAsync(page, "container-detail");
    }

    [Fact]
    public async Task The_create_page_refuses_a_bad_image_then_creates_and_opens_the_container()
    {
        var page = await fixture.OpenAsync("/containers/create");
        var name = TestRig.UniqueName("e2e-create");

        await page.Locator("input[data-testid=field-image]").FillAsync("Not/A Valid:Image");
        await page.Keyboard.PressAsync("Tab");
        await page.Locator("[data-testid=create-submit]").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "create-invalid");
        await Expect(page.Locator("[data-testid=create-error]")).ToContainTextAsync("Correct the fields");
        await Expect(page.Locator("[data-testid=error-Image]")).ToContainTextAsync("is not a valid image reference");

        await page.Locator("input[data-testid=field-image]").FillAsync(TestRig.Image);
        await page.Keyboard.PressAsync("Tab");
        await page.Locator("input[data-testid=field-name]").FillAsync(name);
        await page.Locator("input[data-testid=field-command]").FillAsync("sleep 300");
        await page.Locator("input[data-testid=field-network]").FillAsync("none");
        await page.Locator("textarea[data-testid=field-labels]").FillAsync($"{TestRig.RunLabel}={TestRig.RunId}");
        await Expect(page.Locator("[data-testid=docker-run]")).ToContainTextAsync($"--name {name}");
        await page.Locator("[data-testid=create-submit]").ClickAsync();

        await Expect(page.Locator("[data-testid=container-name]")).ToHaveTextAsync(name, new() { Timeout = 15_000 });
        var id = page.Url.Split('/')[^1];
        fixture.Engine.Track(id);
        await Expect(page.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "running");
    }

    [Fact]
    public async Task A_container_behind_its_tag_shows_a_badge_in_the_filtered_list_and_is_updated_from_its_page()
    {
        var reference = $"{TestRig.Registry}/dd/e2e-update-{TestRig.RunId}:live";
        var (v1, _) = await fixture.Engine.PublishAsync(reference, "LABEL version=1");
        var name = TestRig.UniqueName("e2e-update");
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = name, Image = reference, Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = "none" },
        });
        fixture.Engine.Track(created.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(created.ID, new Docker.DotNet.Models.ContainerStartParameters());
        var (v2, _) = await fixture.Engine.PublishAsync(reference, "LABEL version=2");
        await fixture.App.As<DockerDash.Updates.ContainerUpdater>().CheckAsync(new DockerDash.Updates.UpdateScope("rig", Container: created.ID));

        var page = await fixture.OpenAsync("/containers?updates=available");
        await Expect(page.Locator("[data-testid=updates-filter]")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=container-row][data-name='{name}']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=update-badge]")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "containers-updates-available");

        await page.Locator($"[data-testid=container-row][data-name='{name}'] a.container-name").ClickAsync();
        await Expect(page.Locator("[data-testid=update-state]")).ToHaveAttributeAsync("data-status", "available");
        await page.Locator("[data-testid=update-apply]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Update", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=update-state]")).ToHaveAttributeAsync("data-status", "up-to-date", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=container-name]")).ToHaveTextAsync(name);
        var id = page.Url.Split('/')[^1];
        fixture.Engine.Track(id);
        Assert.NotEqual(created.ID, id);
        Assert.Equal(v2, (await fixture.Engine.InspectAsync(id)).Image);
        await page.CloseAsync();

        await fixture.Engine.RemoveAsync(id);
        await fixture.Engine.RemoveImagesAsync(v1, v2);
    }

    [Fact]
    public async Task An_image_the_engine_lacks_is_offered_as_a_pull_then_the_container_is_created()
    {
        var reference = $"{TestRig.Registry}/dockerdash/create-missing-{TestRig.RunId}:1";
        await fixture.Engine.Client.Images.TagImageAsync(TestRig.Image, new Docker.DotNet.Models.ImageTagParameters { RepositoryName = reference[..reference.LastIndexOf(':')], Tag = "1" });
        await fixture.Engine.Client.Images.PushImageAsync(reference, new Docker.DotNet.Models.ImagePushParameters(), new Docker.DotNet.Models.AuthConfig(), new Progress<Docker.DotNet.Models.JSONMessage>());
        await fixture.Engine.Client.Images.DeleteImageAsync(reference, new Docker.DotNet.Models.ImageDeleteParameters());
        string? id = null;
        try
        {
            var page = await fixture.OpenAsync("/containers/create");
            await Expect(page.Locator("[data-testid=docker-run]")).ToHaveTextAsync("Choose an image: the docker run command appears here.");

            await page.Locator("input[data-testid=field-image]").FillAsync(reference);
            await page.Keyboard.PressAsync("Tab");
            await page.Locator("input[data-testid=field-network]").FillAsync("none");
            await page.Locator("input[data-testid=field-command]").FillAsync("sleep 300");
            await page.Locator("textarea[data-testid=field-labels]").FillAsync($"{TestRig.RunLabel}={TestRig.RunId}");
            await page.Locator("[data-testid=create-submit]").ClickAsync();
            await Expect(page.Locator("[data-testid=create-error]")).ToContainTextAsync("does not have the image");

            await page.Locator("[data-testid=pull-and-create]").ClickAsync();

            await Expect(page.Locator("[data-testid=container-name]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            id = page.Url.Split('/')[^1];
            Assert.Equal(reference, (await fixture.Engine.InspectAsync(id)).Config!.Image);
            await page.CloseAsync();
        }
        finally
        {
            if (id is not null)
            {
                await fixture.Engine.RemoveAsync(id);
            }

            try
            {
                await fixture.Engine.Client.Images.DeleteImageAsync(reference, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
            }
            catch (Docker.DotNet.DockerImageNotFoundException)
            {
                // Never pulled: nothing to remove.
            }
        }
    }
}
