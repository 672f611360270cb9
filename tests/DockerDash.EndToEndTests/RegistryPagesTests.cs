using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

public class RegistryPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_htpasswd_registry_added_in_the_ui_is_browsed_to_a_tag_and_its_layers()
    {
        var repository = $"dd/e2e-browse-{TestRig.RunId}";
        using (var pusher = new RegistryPusher(TestRig.RegistryBasic, TestRig.RegistryUser, TestRig.RegistryPassword))
        {
            await pusher.ImageAsync(repository, "amd64", "a layer seen in the browser", "v1");
        }

        var name = $"basic-{TestRig.RunId}";
        var page = await fixture.OpenAsync("/registries");
        await page.Locator("input[data-testid=registry-name]").FillAsync(name);
        await page.Locator("input[data-testid=registry-url]").FillAsync($"http://{TestRig.RegistryBasic}");
        await page.Locator("input[data-testid=registry-user]").FillAsync(TestRig.RegistryUser);
        await page.Locator("input[data-testid=registry-password]").FillAsync(TestRig.RegistryPassword);
        await page.Locator("[data-testid=registry-save]").ClickAsync();

        var row = page.Locator($"[data-testid=registry-row][data-name='{name}']");
        await Expect(row.Locator("[data-testid=registry-status]")).ToHaveTextAsync("Basic");
        await row.Locator("[data-testid=registry-open]").ClickAsync();
        await page.Locator("input[data-testid=catalog-search]").FillAsync($"e2e-browse-{TestRig.RunId}");
        await page.Locator("[data-testid=repository]", new() { HasText = repository }).ClickAsync();

        // Each tag says what it points at, how big and how old; the date order is a real one.
        var summary = page.Locator(".tag-row", new() { HasText = "v1" }).Locator("[data-testid=tag-summary]");
        await Expect(summary.Locator("[data-testid=tag-digest]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sha256:[0-9a-f]{12}$"));
        await Expect(summary.Locator("[data-testid=tag-size]")).ToContainTextAsync("B");
        await page.Locator("[data-testid=tag-order]").ClickAsync();
        await page.GetByText("Newest image first").ClickAsync();
        await Expect(page.Locator("[data-testid=tag]")).ToHaveTextAsync(["v1"]);
        await page.Locator("[data-testid=tag]", new() { HasText = "v1" }).ClickAsync();

        await Expect(page.Locator("[data-testid=pull-command]")).ToHaveTextAsync($"docker pull {TestRig.RegistryBasic}/{repository}:v1");
        await Expect(page.Locator("[data-testid=layer]")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "registry-tag");

        // Removing the registry asks first; Cancel keeps it.
        await BrowserFixture.GoToAsync(page, "/registries");
        await row.Locator("[data-testid=registry-remove]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(1);
        await row.Locator("[data-testid=registry-remove]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }
}
