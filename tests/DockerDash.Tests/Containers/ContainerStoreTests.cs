using DockerDash.Containers;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Containers;

public class ContainerStoreTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task A_subscriber_sees_the_snapshot_then_only_what_changed()
    {
        var store = new ContainerStore();
        var web = Make("web");
        var db = Make("db");
        store.ReplaceEngine("local", [web, db]);

        using var subscription = store.Subscribe(_ => true);
        Assert.Equal(["db", "web"], subscription.Snapshot.Select(c => c.Name).Order());

        store.ReplaceEngine("local", [web with { State = "exited", ExitCode = 1 }]);
        var update = await subscription.ReadUpdatesAsync(Timeout).FirstAsync(Timeout);

        Assert.Null(update.Reset);
        Assert.Collection(
            update.Changes.OrderBy(c => c.Kind),
            c => Assert.Equal(("web", "exited"), (c.Container!.Name, c.Container.State)),
            c => Assert.Equal((ContainerChangeKind.Removed, db.Key), (c.Kind, c.Key)));
    }

    [Fact]
    public async Task A_relist_that_changed_nothing_publishes_nothing()
    {
        var store = new ContainerStore();
        store.ReplaceEngine("local", [Make("web", labels: new() { ["a"] = "1" })]);
        using var subscription = store.Subscribe(_ => true);

        store.ReplaceEngine("local", [Make("web", labels: new() { ["a"] = "1" })]);
        store.ReplaceEngine("local", [Make("web", labels: new() { ["a"] = "2" })]);

        var update = await subscription.ReadUpdatesAsync(Timeout).FirstAsync(Timeout);
        Assert.Equal("2", Assert.Single(update.Changes).Container!.Labels["a"]);
    }

    [Fact]
    public async Task Replacing_some_containers_removes_those_asked_for_and_not_listed_only()
    {
        var store = new ContainerStore();
        var a = Make("a");
        var b = Make("b");
        store.ReplaceEngine("local", [a, b]);

        store.ReplaceSome("local", [a.Id], []);

        Assert.Equal(["b"], store.Snapshot().Select(c => c.Name));
        await Task.CompletedTask;
    }

    [Fact]
    public void Engines_are_kept_apart()
    {
        var store = new ContainerStore();
        store.ReplaceEngine("one", [Make("web", engine: "one")]);
        store.ReplaceEngine("two", [Make("web", engine: "two")]);
        store.ReplaceEngine("one", []);

        Assert.Equal(["two"], store.Snapshot().Select(c => c.Engine));
    }

    [Fact]
    public async Task A_subscriber_only_sees_engines_it_may_see()
    {
        var store = new ContainerStore();
        store.ReplaceEngine("secret", [Make("hidden", engine: "secret")]);
        using var subscription = store.Subscribe(engine => engine != "secret");
        store.ReplaceEngine("secret", [Make("hidden2", engine: "secret")]);
        store.ReplaceEngine("open", [Make("visible", engine: "open")]);

        Assert.Empty(subscription.Snapshot);
        var update = await subscription.ReadUpdatesAsync(Timeout).FirstAsync(Timeout);
        Assert.Equal("visible", Assert.Single(update.Changes).Container!.Name);
    }

    [Fact]
    public async Task A_slow_subscriber_is_reset_with_a_snapshot_and_never_blocks_the_store_or_others()
    {
        var store = new ContainerStore(subscriberQueueCapacity: 4);
        using var slow = store.Subscribe(_ => true);
        using var fast = store.Subscribe(_ => true);
        var fastSeen = new List<ContainerUpdate>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var fastReader = Task.Run(async () =>
        {
            await foreach (var update in fast.ReadUpdatesAsync(stop.Token))
            {
                lock (fastSeen)
                {
                    fastSeen.Add(update);
                }

                if (update.Changes.Any(c => c.Container?.Name == "c-49"))
                {
                    return;
                }
            }
        });

        for (var i = 0; i < 50; i++)
        {
            store.ReplaceEngine("local", [Make($"c-{i}", id: $"{i:D64}")]);
            await Task.Delay(1);
        }

        await fastReader;
        var first = await slow.ReadUpdatesAsync(Timeout).FirstAsync(Timeout);

        Assert.NotNull(first.Reset);
        Assert.Equal("c-49", Assert.Single(first.Reset).Name);
        Assert.True(fastSeen.Count >= 2, "the fast subscriber got its updates while the slow one was full");
    }

    [Fact]
    public async Task A_projecting_subscriber_sees_its_projection_and_the_others_the_original()
    {
        var store = new ContainerStore();
        store.ReplaceEngine("local", [Make("web", labels: new() { ["db.password"] = "hunter2" })]);
        using var masked = store.Subscribe(_ => true, SecretMasking.MaskRow);
        using var plain = store.Subscribe(_ => true);

        store.ReplaceEngine("local", [Make("web", labels: new() { ["db.password"] = "hunter3" })]);

        Assert.Equal(SecretMasking.Mask, Assert.Single(masked.Snapshot).Labels["db.password"]);
        Assert.Equal("hunter2", Assert.Single(plain.Snapshot).Labels["db.password"]);
        Assert.Equal(SecretMasking.Mask, Assert.Single((await masked.ReadUpdatesAsync(Timeout).FirstAsync(Timeout)).Changes).Container!.Labels["db.password"]);
        Assert.Equal("hunter3", Assert.Single((await plain.ReadUpdatesAsync(Timeout).FirstAsync(Timeout)).Changes).Container!.Labels["db.password"]);
    }

    [Fact]
    public void Disposing_a_subscription_removes_its_subscriber()
    {
        var store = new ContainerStore();
        var subscription = store.Subscribe(_ => true);
        Assert.Equal(1, store.SubscriberCount);

        subscription.Dispose();

        Assert.Equal(0, store.SubscriberCount);
    }
}
