using System.Text;
using System.Text.Json;

namespace DockerDash.Components.Logs;

/// <summary>
/// Indents a JSON text without rewriting it: every name, string, number and literal is copied as it
/// was written (escapes, precision and all); only the whitespace between tokens changes.
/// </summary>
public static class JsonIndenter
{
    private const string Indent = "  ";

    /// <summary>The indented text, or null when <paramref name="text"/> is not one JSON object or array.</summary>
    public static string? Indented(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return Write(Encoding.UTF8.GetBytes(trimmed));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Write(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var output = new StringBuilder(utf8.Length + (utf8.Length / 2));
        var depth = 0;
        var first = true;
        var afterName = false;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
                if (!first)
                {
                    NewLine(output, depth);
                }

                output.Append(token == JsonTokenType.EndObject ? '}' : ']');
                first = false;
                continue;
            }

            if (!afterName)
            {
                if (depth > 0)
                {
                    output.Append(first ? "" : ",");
                    NewLine(output, depth);
                }
            }

            afterName = false;
            first = false;
            switch (token)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    output.Append(token == JsonTokenType.StartObject ? '{' : '[');
                    depth++;
                    first = true;
                    break;
                case JsonTokenType.PropertyName:
                    output.Append('"').Append(Raw(ref reader)).Append("\": ");
                    afterName = true;
                    break;
                case JsonTokenType.String:
                    output.Append('"').Append(Raw(ref reader)).Append('"');
                    break;
                default:
                    output.Append(Raw(ref reader));
                    break;
            }
        }

        if (reader.BytesConsumed != utf8.Length)
        {
            throw new JsonException("Text after the JSON value.");
        }

        return output.ToString();
    }

    /// <summary>The token exactly as written in the source (a string's escapes are kept).</summary>
    private static string Raw(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);

    private static void NewLine(StringBuilder output, int depth)
    {
        output.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            output.Append(Indent);
        }
    }
}
