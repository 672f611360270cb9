using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DockerDash.Containers;

/// <summary>
/// What callers without <c>container.secrets</c> see instead of secrets: environment values, secret-looking
/// labels and log-driver options, the values of secret-looking flags in command lines and health checks
/// (<c>--password=x</c>, <c>--token x</c>), passwords in URLs, and build arguments in image history.
/// </summary>
public static partial class SecretMasking
{
    public const string Mask = "••••••";

    private const string SecretWords = "pass|secret|token|key|credential|auth|private|cert";

    [GeneratedRegex(SecretWords, RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>A flag whose value is a secret, alone (its value is the next word): <c>--password</c>, <c>-api-token</c>.</summary>
    [GeneratedRegex("^--?[A-Za-z0-9_.-]*(?:" + SecretWords + ")[A-Za-z0-9_.-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFlag();

    /// <summary>In running text: <c>--password=x</c>, <c>--token x</c>, <c>DB_PASSWORD=x</c>.</summary>
    [GeneratedRegex("(?<name>(?:--?|\\b)[A-Za-z0-9_.-]*(?:" + SecretWords + ")[A-Za-z0-9_.-]*)(?<sep>=|(?<=(?:^|\\s)--?[A-Za-z0-9_.-]+)\\s+)(?<value>(?!-)[^\\s'\"]+|'[^']*'|\"[^\"]*\")", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    /// <summary>The password in <c>scheme://user:password@host</c>.</summary>
    [GeneratedRegex("(?<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/\\s@]+:)(?<value>[^@\\s]+)(?=@)")]
    private static partial Regex UrlPassword();

    /// <summary>Image history's build arguments: <c>|2 TOKEN=abc VERSION=1 /bin/sh -c ...</c>.</summary>
    [GeneratedRegex("^\\|(?<count>\\d+)(?<args>(?: [^\\s=]+=\\S*)+)")]
    private static partial Regex BuildArguments();

    public static bool IsSecretLabel(string key) => SecretName().IsMatch(key);

    public static IReadOnlyDictionary<string, string> MaskLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Any(l => IsSecretLabel(l.Key))
            ? labels.ToDictionary(l => l.Key, l => IsSecretLabel(l.Key) ? Mask : l.Value)
            : labels;

    /// <summary><c>KEY=value</c> becomes <c>KEY=••••••</c>; the names stay readable.</summary>
    public static string MaskVariable(string variable)
    {
        var equals = variable.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? variable : variable[..(equals + 1)] + Mask;
    }

    /// <summary>A command line (or any text from one) with secret flag values, passwords in URLs and build arguments masked.</summary>
    public static string MaskCommand(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = BuildArguments().Replace(text, m => "|" + m.Groups["count"].Value + string.Concat(
            m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => " " + MaskVariable(a))));
        text = SecretAssignment().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        return UrlPassword().Replace(text, m => m.Groups["head"].Value + Mask);
    }

    /// <summary>A command as a list of words: each word masked, and the word after a lone secret flag.</summary>
    public static IReadOnlyList<string> MaskArguments(IEnumerable<string> words)
    {
        var masked = new List<string>();
        var next = false;
        foreach (var word in words)
        {
            masked.Add(next ? Mask : MaskCommand(word));
            next = !next && SecretFlag().IsMatch(word);
        }

        return masked;
    }

    public static ContainerInfo MaskRow(ContainerInfo row)
    {
        var labels = MaskLabels(row.Labels);
        var command = MaskCommand(row.Command);
        return ReferenceEquals(labels, row.Labels) && command == row.Command ? row : row with { Labels = labels, Command = command };
    }

    /// <summary>A JSON inspect document's text with its secrets masked (<see cref="MaskDocument"/>); every other token is kept as written.</summary>
    public static string MaskDocumentText(string json) => MaskDocument(JsonNode.Parse(json))?.ToJsonString(AsWritten) ?? json;

    private static readonly System.Text.Json.JsonSerializerOptions AsWritten = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// An engine's inspect document (a container's or an image's) with every secret this class knows masked:
    /// environment, labels, commands, entrypoints, health checks, log-driver options.
    /// </summary>
    public static JsonNode? MaskDocument(JsonNode? root)
    {
        foreach (var config in new[] { root?["Config"], root?["ContainerConfig"] }.OfType<JsonObject>())
        {
            MaskWords(config["Env"] as JsonArray, MaskVariable);
            MaskArray(config["Cmd"] as JsonArray);
            MaskArray(config["Entrypoint"] as JsonArray);
            MaskArray(config["Healthcheck"]?["Test"] as JsonArray);
            MaskSecretKeys(config["Labels"] as JsonObject);
        }

        MaskArray(root?["Args"] as JsonArray);
        if (root?["Path"] is JsonValue path && path.TryGetValue<string>(out var text))
        {
            root["Path"] = MaskCommand(text);
        }

        MaskSecretKeys(root?["HostConfig"]?["LogConfig"]?["Config"] as JsonObject);
        return root;
    }

    private static void MaskArray(JsonArray? array)
    {
        if (array is null)
        {
            return;
        }

        var masked = MaskArguments(array.Select(w => w?.GetValue<string>() ?? ""));
        for (var i = 0; i < array.Count; i++)
        {
            array[i] = masked[i];
        }
    }

    private static void MaskWords(JsonArray? array, Func<string, string> mask)
    {
        for (var i = 0; array is not null && i < array.Count; i++)
        {
            array[i] = mask(array[i]?.GetValue<string>() ?? "");
        }
    }

    private static void MaskSecretKeys(JsonObject? values)
    {
        foreach (var key in values?.Select(l => l.Key).Where(IsSecretLabel).ToList() ?? [])
        {
            values![key] = Mask;
        }
    }
}
