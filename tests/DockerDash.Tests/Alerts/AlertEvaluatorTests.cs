using DockerDash.Alerts;
using DockerDash.Events;

namespace DockerDash.Tests.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static EngineEvent Event(string action, string name = "web-1", double seconds = 0, string? exitCode = null, string? project = null)
    {
        var attributes = new Dictionary<string, string> { ["name"] = name };
        if (exitCode is not null)
        {
            attributes["exitCode"] = exitCode;
        }

        if (project is not null)
        {
            attributes["com.docker.compose.project"] = project;
        }

        return new EngineEvent("local", "container", action, name + "-id", name, (Start.AddSeconds(seconds) - DateTimeOffset.UnixEpoch).Ticks * 100, attributes);
    }

    private static AlertRule Rule(AlertKind kind, string? pattern = null, string? project = null) =>
        new() { Id = (int)kind + 1, Name = kind.ToString(), Kind = kind, NamePattern = pattern, Project = project, RestartLimit = 2, WindowMinutes = 1 };

    [Fact]
    public void Died_fires_for_a_non_zero_exit_only()
    {
        var evaluator = new AlertEvaluator();
        AlertRule[] rules = [Rule(AlertKind.Died)];

        Assert.Empty(evaluator.Evaluate(Event("die", exitCode: "0"), rules));
        var firing = Assert.Single(evaluator.Evaluate(Event("die", exitCode: "137"), rules));
        Assert.Equal("web-1 on local exited with code 137", firing.Message);
    }

    [Fact]
    public void Unhealthy_fires_once_per_turn()
    {
        var evaluator = new AlertEvaluator();
        AlertRule[] rules = [Rule(AlertKind.Unhealthy)];

        Assert.Single(evaluator.Evaluate(Event("health_status: unhealthy"), rules));
        Assert.Empty(evaluator.Evaluate(Event("health_status: unhealthy"), rules));
        Assert.Empty(evaluator.Evaluate(Event("health_status: healthy"), rules));
        Assert.Single(evaluator.Evaluate(Event("health_status: unhealthy"), rules));
    }

    [Fact]
    public void Restarts_beyond_the_limit_within_the_window_fire_once_per_window()
    {
        var evaluator = new AlertEvaluator();
        AlertRule[] rules = [Rule(AlertKind.Restarting)];
        var fired = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            evaluator.Evaluate(Event("die", seconds: i * 5, exitCode: "1"), rules);
            fired.Add(evaluator.Evaluate(Event("start", seconds: (i * 5) + 1), rules).Count);
        }

        Assert.Equal([0, 0, 1, 0, 0, 0], fired);
    }

    [Fact]
    public void Restarts_spread_wider_than_the_window_do_not_fire()
    {
        var evaluator = new AlertEvaluator();
        AlertRule[] rules = [Rule(AlertKind.Restarting)];
        var fired = 0;
        for (var i = 0; i < 6; i++)
        {
            evaluator.Evaluate(Event("die", seconds: i * 40, exitCode: "1"), rules);
            fired += evaluator.Evaluate(Event("start", seconds: (i * 40) + 1), rules).Count;
        }

        Assert.Equal(0, fired);
    }

    [Fact]
    public void Rules_are_scoped_by_name_pattern_and_project()
    {
        var evaluator = new AlertEvaluator();
        AlertRule[] rules = [Rule(AlertKind.OutOfMemory, pattern: "web-*"), Rule(AlertKind.Died, project: "shop")];

        Assert.Single(evaluator.Evaluate(Event("oom", name: "web-7"), rules));
        Assert.Empty(evaluator.Evaluate(Event("oom", name: "db-1"), rules));
        Assert.Empty(evaluator.Evaluate(Event("die", exitCode: "1", project: "blog"), rules));
        Assert.Single(evaluator.Evaluate(Event("die", exitCode: "1", project: "shop"), rules));
    }

    private static async Task<System.Text.Json.JsonElement> JsonOf(WebhookFormat format, AlertFiring firing)
    {
        using var content = WebhookDispatcher.Content(new AlertWebhook { Format = format }, firing);
        return System.Text.Json.JsonDocument.Parse(await content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Webhook_payloads_are_json_slack_or_discord_text()
    {
        var firing = new AlertFiring { RuleName = "crash", Kind = AlertKind.Died, Engine = "prod", ContainerId = "abc", ContainerName = "web", Message = "web on prod exited with code 3", FiredAt = Start };

        var json = await JsonOf(WebhookFormat.Json, firing);
        var slack = await JsonOf(WebhookFormat.Slack, firing);
        var discord = await JsonOf(WebhookFormat.Discord, firing);

        Assert.Equal("web", json.GetProperty("container").GetProperty("name").GetString());
        Assert.Equal("Died", json.GetProperty("kind").GetString());
        Assert.Contains("*crash*: web on prod exited with code 3", slack.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("**crash**: web on prod exited with code 3", discord.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_discord_message_is_cut_to_its_limit_and_an_ntfy_one_is_text_with_an_encoded_title()
    {
        var firing = new AlertFiring { RuleName = "crash ✗", Kind = AlertKind.Died, Engine = "prod", ContainerId = "abc", ContainerName = "web", Message = new string('x', 3000), FiredAt = Start };

        var discord = await JsonOf(WebhookFormat.Discord, firing);
        using var ntfy = WebhookDispatcher.Content(new AlertWebhook { Format = WebhookFormat.Ntfy }, firing);

        Assert.Equal(WebhookDispatcher.DiscordLimit, discord.GetProperty("content").GetString()!.Length);
        Assert.StartsWith(new string('x', 3000), await ntfy.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/plain", ntfy.Headers.ContentType?.MediaType);
        var title = Assert.Single(ntfy.Headers.GetValues("Title"));
        Assert.StartsWith("=?UTF-8?B?", title, StringComparison.Ordinal);
        Assert.Equal("DockerDash: crash ✗", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(title["=?UTF-8?B?".Length..^"?=".Length])));
    }
}
