using System.Globalization;

namespace DockerDash.Logs;

/// <summary>The engine's log timestamps: RFC 3339 with up to nine fraction digits (trailing zeros dropped), always UTC.</summary>
public static class LogTimestamp
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Unix nanoseconds of <c>2026-11-27T14:07:16.1234567Z</c>, or null when the text is not such a time.</summary>
    public static long? Parse(ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        var end = text.Length > 0 && text[^1] == 'Z' ? text.Length - 1 : text.Length;
        var secondsPart = dot >= 0 ? text[..dot] : text[..end];
        if (!DateTime.TryParseExact(secondsPart, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
        {
            return null;
        }

        long fraction = 0;
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..end];
            if (digits.Length is 0 or > 9)
            {
                return null;
            }

            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return null;
                }

                fraction = (fraction * 10) + (c - '0');
            }

            for (var i = digits.Length; i < 9; i++)
            {
                fraction *= 10;
            }
        }

        return (new DateTimeOffset(seconds, TimeSpan.Zero).ToUnixTimeSeconds() * NanosPerSecond) + fraction;
    }

    // Lines come thousands a second within the same second: its text is formatted once per thread.
    [ThreadStatic]
    private static (long Seconds, string Text) _lastSecond;

    public static string Format(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, NanosPerSecond, out var fraction);
        var prefix = _lastSecond.Seconds == seconds && _lastSecond.Text is { } cached
            ? cached
            : (_lastSecond = (seconds, DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))).Text;
        return string.Create(prefix.Length + 11, (prefix, fraction), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            span[state.prefix.Length] = '.';
            state.fraction.TryFormat(span.Slice(state.prefix.Length + 1, 9), out _, "D9", CultureInfo.InvariantCulture);
            span[^1] = 'Z';
        });
    }

    /// <summary>The engine's <c>since</c>/<c>until</c> form: <c>seconds.nanoseconds</c>, inclusive.</summary>
    public static string ToEngineArgument(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, NanosPerSecond, out var fraction);
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 3339, or Unix seconds with an optional fraction (the engine's own form).</summary>
    public static long? ParseQueryTime(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (LogTimestamp.Parse(text) is { } rfc)
        {
            return rfc;
        }

        if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return (long)(seconds * 1_000_000_000m);
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var any))
        {
            return (any - DateTimeOffset.UnixEpoch).Ticks * 100;
        }

        throw new FormatException($"'{text}' is not a time for {field.ToLowerInvariant()} (use RFC 3339, like 2026-11-27T14:00:00Z, or Unix seconds).");
    }
}
