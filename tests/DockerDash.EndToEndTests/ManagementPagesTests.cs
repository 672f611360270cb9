using DockerDash.Testing;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>
/// The volumes, networks and engine pages in Chromium on a phone: what is made elsewhere appears by itself, pages name their
/// containers, prune lists before it removes, a container leaves a network, the engine page checks the security notes.
/// </summary>
public class ManagementPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task On_a_phone_the_engine_chip_opens_the_engine_page_with_its_facts_security_notes_and_disk_usage()
    {
        var page = await fixture.OpenAsync("/", width: 390, height: 844);
        await page.Locator("[data-testid=engine-status-bar] [data-engine=rig]").ClickAsync();
        await Expect(page.Locator("[data-testid=engine-name]")).ToHaveTextAsync("rig");
        await Expect(page.Locator("[data-testid=security-check]")).ToHaveCountAsync(6);
        await Expect(page.Locator("[data-testid=disk-kind]")).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=engine-counts]")).ToContainTextAsync("running");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
        await BrowserFixture.ScreenshotAsync(page, "engine-phone");
        await page.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_volumes_appear_live_show_their_users_and_an_unused_one_is_pruned_after_the_dry_run_lists_it()
    {
        var used = TestRig.UniqueName("e2e-vol");
        var user = await fixture.Engine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = TestRig.UniqueName("e2e-vol-user"),
            Image = TestRig.Image,
            Cmd = RigEngine.SleeperCommand,
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = "none", Binds = [$"{used}:/data"] },
        });
        fixture.Engine.Track(user.ID);
        var page = await fixture.OpenAsync("/volumes", width: 390, height: 844);
        await Expect(page.Locator($"[data-testid=volume-row][data-name='{used}']")).ToBeVisibleAsync();

        var spare = TestRig.UniqueName("e2e-spare");
        await fixture.Engine.Client.Volumes.CreateAsync(new Docker.DotNet.Models.VolumesCreateParameters { Name = spare });
        await Expect(page.Locator($"[data-testid=volume-row][data-name='{spare}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
        await BrowserFixture.ScreenshotAsync(page, "volumes-phone");

        await page.Locator("[data-testid=volume-prune-open]").ClickAsync();
        var plan = page.Locator("[data-testid=prune-plan]");
        await Expect(plan).ToContainTextAsync(spare);
        await Expect(plan).Not.ToContainTextAsync(used);

        await page.Locator("[data-testid=prune-cancel]").ClickAsync();
        await Expect(plan).ToHaveCountAsync(0);
        await page.Locator($"[data-testid=volume-row][data-name='{used}'] a").First.ClickAsync();
        await Expect(page.Locator("[data-testid=volume-detail-users]")).ToContainTextAsync("/data");
        await BrowserFixture.ScreenshotAsync(page, "volume-phone");
        await page.CloseAsync();

        await fixture.Engine.RemoveAsync(user.ID);
        await fixture.Engine.Client.Volumes.RemoveAsync(used, false);
        await fixture.Engine.Client.Volumes.RemoveAsync(spare, false);
    }

    [Fact]
    public async Task On_a_phone_a_network_made_elsewhere_appears_shows_its_container_with_its_address_and_the_container_leaves_it()
    {
        var page = await fixture.OpenAsync("/networks", width: 390, height: 844);
        var name = TestRig.UniqueName("e2e-net");
        await fixture.Engine.Client.Networks.CreateNetworkAsync(new Docker.DotNet.Models.NetworksCreateParameters
        {
            Name = name,
            Internal = true,
            IPAM = new Docker.DotNet.Models.IPAM { Config = [new Docker.DotNet.Models.IPAMConfig { Subnet = "172.31.251.0/24" }] },
        });
        var member = await fixture.Engine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = TestRig.UniqueName("e2e-net-member"),
            Image = TestRig.Image,
            Cmd = RigEngine.SleeperCommand,
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = name },
        });
        fixture.Engine.Track(member.ID);
        await fixture.Engine.Client.Containers.StartContainerAsync(member.ID, new Docker.DotNet.Models.ContainerStartParameters());
        try
        {
            var row = page.Locator($"[data-testid=network-row][data-name='{name}']");
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
            await row.Locator("a").First.ClickAsync();
            var joined = page.Locator("[data-testid=network-member]");
            await Expect(joined).ToContainTextAsync("172.31.251.");
            await BrowserFixture.ScreenshotAsync(page, "network-phone");

            await joined.Locator("[data-testid=network-disconnect]").ClickAsync();
            await Expect(joined).ToHaveCountAsync(0);
            await page.CloseAsync();
        }
        finally
        {
            await fixture.Engine.RemoveAsync(member.ID);
            await fixture.Engine.Client.Networks.DeleteNetworkAsync(name);
        }
    }
}
