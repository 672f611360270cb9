using System.Collections.Concurrent;
using System.Text.Json;
using DockerDash.Alerts;
using DockerDash.Operations;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>
/// Alert targets besides JSON and Slack (issue 17): Discord and ntfy, each sent a test message from its row, received by
/// a local receiver on loopback; a receiver that refuses says so.
/// </summary>
public sealed class AlertTargetTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AlertService Alerts() => fixture.App.As<AlertService>();

    private async Task<AlertWebhook> AddAsync(string name, Uri url, WebhookFormat format)
    {
        await Alerts().SaveWebhookAsync(new AlertWebhook { Name = $"{name}-{TestRig.RunId}", Url = url.ToString(), Format = format });
        return (await Alerts().WebhooksAsync()).Single(w => w.Name == $"{name}-{TestRig.RunId}");
    }

    [Fact]
    public async Task A_test_message_reaches_discord_and_ntfy_receivers_in_their_own_formats()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, string? Title, string Body)>();
        using var receiver = new FakeHttpServer(request =>
        {
            using var reader = new StreamReader(request.InputStream);
            received.Enqueue((request.Url!.AbsolutePath, request.ContentType, request.Headers["Title"], reader.ReadToEnd()));
            return (204, "");
        });
        var discord = await AddAsync("discord", new Uri(receiver.Address, "api/webhooks/1/secret"), WebhookFormat.Discord);
        var ntfy = await AddAsync("ntfy", new Uri(receiver.Address, "dockerdash-alerts"), WebhookFormat.Ntfy);
        try
        {
            var discordSaid = await Alerts().TestWebhookAsync(discord.Id);
            var ntfySaid = await Alerts().TestWebhookAsync(ntfy.Id);

            Assert.Equal($"The test message to '{discord.Name}' was delivered.", discordSaid);
            Assert.Equal($"The test message to '{ntfy.Name}' was delivered.", ntfySaid);
            var byPath = received.ToDictionary(r => r.Path);
            using var discordBody = JsonDocument.Parse(byPath["/api/webhooks/1/secret"].Body);
            Assert.Contains($"**Test message**: A test message from DockerDash to the webhook '{discord.Name}'", discordBody.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
            var topic = byPath["/dockerdash-alerts"];
            Assert.StartsWith("text/plain", topic.ContentType, StringComparison.Ordinal);
            Assert.Equal("DockerDash: Test message", topic.Title);
            Assert.StartsWith($"A test message from DockerDash to the webhook '{ntfy.Name}': if you read this, it works.", topic.Body, StringComparison.Ordinal);
        }
        finally
        {
            await Alerts().DeleteWebhookAsync(discord.Id);
            await Alerts().DeleteWebhookAsync(ntfy.Id);
        }
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_test_message_is_named_with_its_answer()
    {
        using var receiver = new FakeHttpServer(_ => (403, "no"));
        var webhook = await AddAsync("refusing", new Uri(receiver.Address, "topic"), WebhookFormat.Ntfy);
        try
        {
            var error = await Assert.ThrowsAsync<OperationFailedException>(() => Alerts().TestWebhookAsync(webhook.Id));

            Assert.Equal($"The test message to '{webhook.Name}' was not delivered: the receiver answered 403 Forbidden.", error.Message);
        }
        finally
        {
            await Alerts().DeleteWebhookAsync(webhook.Id);
        }
    }
}
