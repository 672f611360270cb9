using System.Text;

namespace DockerDash.Components.Logs;

/// <summary>A run of text with the colours and weight ANSI escape codes gave it.</summary>
public sealed record AnsiSegment(string Text, string? CssClass);

/// <summary>
/// Splits a log line into styled runs from its ANSI SGR codes (<c>ESC[31m</c>...): the 8 and bright 8
/// colours for text and background, bold, reset. Other escape sequences are dropped, never shown raw.
/// </summary>
public static class AnsiText
{
    public static IReadOnlyList<AnsiSegment> Parse(string line)
    {
        if (!line.Contains('\u001b', StringComparison.Ordinal))
        {
            return [new AnsiSegment(line, null)];
        }

        var segments = new List<AnsiSegment>();
        var text = new StringBuilder();
        int? foreground = null, background = null;
        var bold = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '\u001b')
            {
                text.Append(line[i]);
                continue;
            }

            if (i + 1 < line.Length && line[i + 1] == '[')
            {
                var end = i + 2;
                while (end < line.Length && (char.IsAsciiDigit(line[end]) || line[end] == ';'))
                {
                    end++;
                }

                if (end < line.Length && line[end] == 'm')
                {
                    Flush();
                    foreach (var part in line[(i + 2)..end].Split(';'))
                    {
                        var code = int.TryParse(part, out var c) ? c : 0;
                        switch (code)
                        {
                            case 0: foreground = background = null; bold = false; break;
                            case 1: bold = true; break;
                            case 22: bold = false; break;
                            case >= 30 and <= 37: foreground = code - 30; break;
                            case >= 90 and <= 97: foreground = code - 90 + 8; break;
                            case 39: foreground = null; break;
                            case >= 40 and <= 47: background = code - 40; break;
                            case >= 100 and <= 107: background = code - 100 + 8; break;
                            case 49: background = null; break;
                        }
                    }
                }

                // Any other CSI sequence (cursor moves, erase line) is dropped.
                while (end < line.Length && !char.IsAsciiLetter(line[end]))
                {
                    end++;
                }

                i = Math.Min(end, line.Length - 1);
            }
        }

        Flush();
        return segments;

        void Flush()
        {
            if (text.Length == 0)
            {
                return;
            }

            var classes = string.Join(' ', new[]
            {
                foreground is { } f ? $"ansi-fg-{f}" : null,
                background is { } b ? $"ansi-bg-{b}" : null,
                bold ? "ansi-bold" : null,
            }.Where(c => c is not null));
            segments.Add(new AnsiSegment(text.ToString(), classes.Length == 0 ? null : classes));
            text.Clear();
        }
    }
}
