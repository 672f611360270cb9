using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DockerDash.Testing;

/// <summary>
/// nginx on 127.0.0.1 in front of replicas, with the configuration DockerDash ships (<c>deploy/nginx/dockerdash.conf</c>):
/// only its listen address and its upstream servers are replaced, by this proxy's port and the replicas' addresses.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process _nginx;
    private readonly string _folder;

    private NginxProxy(Process nginx, string folder, Uri address)
    {
        _nginx = nginx;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<NginxProxy> StartAsync(params Uri[] replicas)
    {
        // In the rig's folder, so that the rig stops it even if the test host died without disposing it.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(TestRig.EngineDirectory)!, "nginx-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var port = FakeHttpServer.FreePort();
        var shipped = await File.ReadAllTextAsync(Path.Combine(Repository, "deploy", "nginx", "dockerdash.conf"));
        var servers = string.Join("\n", replicas.Select(r => $"    server {r.Host}:{r.Port} max_fails=1 fail_timeout=10s;"));
        var site = Servers().Replace(shipped, servers + "\n", 1);
        site = site.Replace("    listen 80;", $"    listen 127.0.0.1:{port};", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder, "dockerdash.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            # The test's own nginx: in the foreground, everything in this folder; workers as this user.
            daemon off;
            user root;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/dockerdash.conf;
            }
            """);
        var nginx = Process.Start(new ProcessStartInfo(TestRig.Nginx, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")]))
            ?? throw new InvalidOperationException("nginx did not start");
        var proxy = new NginxProxy(nginx, folder, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient();
        await Eventually.GetAsync(
            async () => !nginx.HasExited && await AnswersAsync(http, proxy.Address),
            answers => answers || nginx.HasExited,
            TimeSpan.FromSeconds(20),
            "nginx to answer");
        return nginx.HasExited
            ? throw new InvalidOperationException("nginx stopped: " + await File.ReadAllTextAsync(Path.Combine(folder, "error.log")))
            : proxy;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri address)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(address, "/healthz"));
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(    server dockerdash-[a-z]:8080[^\n]*\n)+")]
    private static partial Regex Servers();

    private static string Repository
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "deploy", "nginx", "dockerdash.conf")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Cannot find deploy/nginx/dockerdash.conf above " + AppContext.BaseDirectory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
