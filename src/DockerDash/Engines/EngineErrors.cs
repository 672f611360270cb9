using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using DockerDash.Engines.Ssh;

namespace DockerDash.Engines;

/// <summary>Turns what went wrong talking to an engine into a sentence a user can act on.</summary>
public static class EngineErrors
{
    /// <summary>The engine's own words from an error response (<c>{"message": "..."}</c>), else the body as text.</summary>
    public static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        if (body.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: show the body as it came.
            }
        }

        return body.Length > 0 ? body : $"the engine answered {(int)e.StatusCode} {e.StatusCode}";
    }

    /// <summary>Why an engine could not be used, in one line without a stack trace.</summary>
    public static string Describe(Exception e, EngineEndpoint endpoint) => e switch
    {
        DockerApiException api => EngineMessage(api),
        EngineUnsupportedException unsupported => unsupported.Message,
        _ when Find<EngineCertificateException>(e) is { } certificate => $"TLS to {endpoint.Endpoint} refused: {certificate.Message}",
        _ when Find<EngineSshException>(e) is { } ssh => $"SSH: {ssh.Message}",
        FileNotFoundException or DirectoryNotFoundException => $"TLS certificates for {endpoint.Name}: {e.Message}",
        _ when FindSocketError(e) is { } socket => $"cannot reach {endpoint.Endpoint}: {SocketText(socket, endpoint.Endpoint.Scheme == "unix")}",
        HttpRequestException or IOException => $"lost the connection to {endpoint.Endpoint}: {Innermost(e).Message}",
        TimeoutException or TaskCanceledException => $"{endpoint.Endpoint} did not answer in time",
        _ => $"{endpoint.Endpoint}: {Innermost(e).Message}",
    };

    private static SocketException? FindSocketError(Exception e) => Find<SocketException>(e);

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    // .NET reports a missing socket file (ENOENT) as AddressNotAvailable, "Cannot assign requested address".
    private static string SocketText(SocketException socket, bool unixSocket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the engine running?)",
        SocketError.AddressNotAvailable when unixSocket => "no socket there (is the engine running?)",
        SocketError.HostNotFound => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.AccessDenied => "permission denied (is this user allowed to use the socket?)",
        _ => socket.Message,
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
