using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace DockerDash.Events;

/// <summary>
/// Reads an engine's <c>/events</c> response (one JSON object a line) on its own task, so that the
/// engine never waits on us: it drops events for a listener that does not take them within 100 ms.
/// </summary>
public static class EngineEventStream
{
    public static ChannelReader<EngineEvent> ReadInBackground(string engine, Stream stream, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = Task.Run(() => PumpAsync(engine, stream, channel.Writer, cancellationToken), CancellationToken.None);
        return channel.Reader;
    }

    private static async Task PumpAsync(string engine, Stream stream, ChannelWriter<EngineEvent> writer, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (Parse(engine, line) is { } engineEvent)
                {
                    writer.TryWrite(engineEvent);
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await stream.DisposeAsync();
            writer.TryComplete(error);
        }
    }

    public static EngineEvent? Parse(string engine, string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        var message = JsonSerializer.Deserialize(line, EventJsonContext.Default.EventMessage);
        if (message is null || string.IsNullOrEmpty(message.Type))
        {
            return null;
        }

        var attributes = message.Actor?.Attributes ?? new Dictionary<string, string>();
        var timeNano = message.TimeNano ?? (message.Time ?? 0) * 1_000_000_000;
        return new EngineEvent(engine, message.Type, message.Action ?? "", message.Actor?.Id ?? message.Id ?? "", attributes.GetValueOrDefault("name"), timeNano, attributes);
    }
}

internal sealed record EventActor([property: JsonPropertyName("ID")] string? Id, Dictionary<string, string>? Attributes);

internal sealed record EventMessage(string? Type, string? Action, EventActor? Actor, [property: JsonPropertyName("id")] string? Id, long? Time, long? TimeNano);

[JsonSerializable(typeof(EventMessage))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
internal sealed partial class EventJsonContext : JsonSerializerContext;
