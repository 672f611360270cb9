using System.Text.Json;

namespace DockerDash.Terminals;

/// <summary>
/// Writes a session as an asciicast v2 file (asciinema's format): a header line, then one JSON array per event,
/// <c>[seconds, "o"|"i"|"r", data]</c> for output, input and resize. Thread-safe; stops at a size cap and says so.
/// </summary>
public sealed class AsciicastRecorder : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private readonly long _startTicks;
    private readonly long _maxBytes;
    private bool _full;

    public AsciicastRecorder(string path, int cols, int rows, string title, TimeProvider time, long maxBytes)
    {
        _time = time;
        _maxBytes = maxBytes;
        _startTicks = time.GetTimestamp();
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096);
        WriteLine(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 2);
            writer.WriteNumber("width", cols);
            writer.WriteNumber("height", rows);
            writer.WriteNumber("timestamp", time.GetUtcNow().ToUnixTimeSeconds());
            writer.WriteString("title", title);
            writer.WriteStartObject("env");
            writer.WriteString("TERM", "xterm-256color");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public void Output(string text) => Event("o", text);

    public void Input(string text) => Event("i", text);

    public void Resize(int cols, int rows) => Event("r", $"{cols}x{rows}");

    private void Event(string kind, string data)
    {
        var seconds = Math.Round(_time.GetElapsedTime(_startTicks).TotalSeconds, 6);
        lock (_lock)
        {
            if (_full)
            {
                return;
            }

            if (_file.Length + data.Length * 3 + 64 > _maxBytes)
            {
                _full = true;
                data = "\r\n[DockerDash: the recording stops here, at its size limit (DockerDash:Exec:MaxRecordingBytes); the session went on]\r\n";
                kind = "o";
            }

            WriteLine(writer =>
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(seconds);
                writer.WriteStringValue(kind);
                writer.WriteStringValue(data);
                writer.WriteEndArray();
            });
        }
    }

    private void WriteLine(Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(_file))
        {
            write(writer);
        }

        _file.WriteByte((byte)'\n');
        _file.Flush();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _full = true;
            _file.Dispose();
        }
    }

    /// <summary>The events of a recording, for playback: header size and <c>(seconds, kind, data)</c>.</summary>
    public static Recording Read(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var header = JsonDocument.Parse(lines[0]);
        var events = new List<RecordedEvent>();
        foreach (var line in lines.Skip(1))
        {
            try
            {
                using var e = JsonDocument.Parse(line);
                events.Add(new RecordedEvent(e.RootElement[0].GetDouble(), e.RootElement[1].GetString() ?? "o", e.RootElement[2].GetString() ?? ""));
            }
            catch (JsonException)
            {
                break; // A line cut short when the process ended mid-write: the recording ends there.
            }
        }

        var root = header.RootElement;
        return new Recording(root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(),
            root.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "", events);
    }
}

public sealed record RecordedEvent(double Seconds, string Kind, string Data);

public sealed partial record Recording(int Cols, int Rows, string Title, IReadOnlyList<RecordedEvent> Events)
{
    /// <summary>What was sent to the process, in order: the input events joined.</summary>
    public string Typed => string.Concat(Events.Where(e => e.Kind == "i").Select(e => e.Data));

    /// <summary>What a person typed: <see cref="Typed"/> without the terminal's own answers (cursor position, device attributes) to the program's questions.</summary>
    public string TypedByPerson => TerminalReplies().Replace(Typed, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9]+;[0-9]+R|\x1b\[[?>][0-9;]*c")]
    private static partial System.Text.RegularExpressions.Regex TerminalReplies();

    public string Shown => string.Concat(Events.Where(e => e.Kind == "o").Select(e => e.Data));
}
