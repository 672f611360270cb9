using DockerDash.Events;
using DockerDash.Streaming;

namespace DockerDash.Tests.Events;

public class EngineEventTests
{
    private const string Die = """{"status":"die","id":"abc","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"exitCode":"3","name":"web"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}""";

    [Fact]
    public void An_engine_event_line_keeps_its_nanosecond_time_and_name()
    {
        var e = EngineEventStream.Parse("local", Die)!;

        Assert.Equal(("local", "container", "die", "abc", "web", 1700000000123456789L), (e.Engine, e.Type, e.Action, e.Id, e.Name, e.TimeNano));
        Assert.Equal("3", e.Attributes["exitCode"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("   ")]
    public void Lines_without_an_event_are_ignored(string line) => Assert.Null(EngineEventStream.Parse("local", line));

    [Theory]
    [InlineData(null, null, null, null, true)]
    [InlineData("LOCAL", "container", "die", "web", true)]
    [InlineData(null, null, null, "ab", true)]
    [InlineData("other", null, null, null, false)]
    [InlineData(null, "image", null, null, false)]
    [InlineData(null, null, "start", null, false)]
    [InlineData(null, null, null, "db", false)]
    public void Filters_match_engine_type_action_and_container(string? engine, string? type, string? action, string? container, bool matches) =>
        Assert.Equal(matches, new EngineEventFilter(engine, type, action, container).Matches(EngineEventStream.Parse("local", Die)!));

    [Fact]
    public void An_action_filter_matches_actions_with_details()
    {
        var health = EngineEventStream.Parse("local", Die.Replace("\"Action\":\"die\"", "\"Action\":\"health_status: unhealthy\"", StringComparison.Ordinal))!;

        Assert.True(new EngineEventFilter(Action: "health_status").Matches(health));
        Assert.False(new EngineEventFilter(Action: "health").Matches(health));
    }

    [Fact]
    public async Task A_full_subscriber_queue_drops_the_oldest_and_counts_them()
    {
        var queue = new SubscriberQueue<int>(capacity: 3);
        for (var i = 1; i <= 10; i++)
        {
            queue.Write(i);
        }

        queue.Complete();
        long skipped = 0;
        var received = await queue.ReadAllAsync(n => skipped += n, CancellationToken.None).ToListAsync();

        Assert.Equal([8, 9, 10], received);
        Assert.Equal(7, skipped);
    }

    [Fact]
    public async Task A_queue_of_batches_is_bounded_and_counts_drops_in_items_not_batches()
    {
        var queue = new SubscriberQueue<int[]>(capacity: 5, weigh: batch => batch.Length);
        queue.Write([1, 2, 3]);
        queue.Write([4, 5]);
        queue.Write([6, 7, 8]);
        queue.Complete();
        long skipped = 0;
        var received = await queue.ReadAllAsync(n => skipped += n, CancellationToken.None).ToListAsync();

        Assert.Equal([4, 5, 6, 7, 8], received.SelectMany(b => b));
        Assert.Equal(3, skipped);
    }
}
