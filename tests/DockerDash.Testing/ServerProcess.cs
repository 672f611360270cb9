using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.Testing;

/// <summary>
/// DockerDash as its own process, as people run it (a Release build or a publish, by its own executable), on 127.0.0.1
/// watching the rig's engine, signed in as the bootstrap admin: what the benchmarks measure, and what the lean publish's
/// test starts.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The bootstrap admin's password.</summary>
    public const string AdminPassword = DashboardApp.AdminPassword;
    private readonly Process _process;
    private readonly string _data;
    private readonly bool _ownsData;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private ServerProcess(Process process, Uri address, string data, bool ownsData, CookieContainer cookies, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _output = output;
        _process = process;
        Address = address;
        _data = data;
        _ownsData = ownsData;
        Cookies = cookies;
    }

    /// <summary>
    /// The Dockerfile's environment for the process itself (glibc's malloc settings, <c>MALLOC_...</c>), read from the
    /// Dockerfile, so that a publish started here runs as the image runs it.
    /// </summary>
    private static readonly Lazy<Dictionary<string, string>> ImageEnvironment = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Dockerfile")))
        {
            folder = folder.Parent ?? throw new FileNotFoundException("No Dockerfile above " + AppContext.BaseDirectory);
        }

        var dockerfile = File.ReadAllText(Path.Combine(folder.FullName, "Dockerfile"));
        return System.Text.RegularExpressions.Regex.Matches(dockerfile, @"\b(MALLOC_[A-Z_]+)=(\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    });

    public Uri Address { get; }

    public CookieContainer Cookies { get; }

    /// <summary>What the server has written so far (its log: warnings and worse, one entry per line).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <param name="environment">Extra variables for the server (runtime settings such as <c>DOTNET_gcConcurrent</c>).</param>
    /// <param name="dataDirectory">A data folder a server used before (a restart), kept afterwards; by default a new one, removed.</param>
    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyDictionary<string, string>? environment = null, string? dataDirectory = null)
    {
        var port = FreePort();
        var data = dataDirectory ?? Directory.CreateTempSubdirectory("dockerdash-bench-").FullName;
        // The build's own executable, as the Dockerfile runs it (a self-contained publish has no other way in).
        var executable = Path.ChangeExtension(dll, null);
        var start = new ProcessStartInfo(executable, ["--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["DockerDash__Engines__0__Name"] = "rig";
        start.Environment["DockerDash__Engines__0__Endpoint"] = TestRig.EngineEndpoint;
        start.Environment["DockerDash__DataDirectory"] = data;
        start.Environment["DockerDash__Bootstrap__AdminPassword"] = AdminPassword;
        start.Environment["DockerDash__Security__LoginAttemptsPerMinute"] = "1000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in ImageEnvironment.Value)
        {
            start.Environment[name] = value;
        }

        // A setting's empty value takes the variable away (the C library's default instead of the image's).
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        // BENCH_SERVER_ENV="DOTNET_TieredPGO=0;..." tries runtime settings on every server a run starts.
        foreach (var setting in (System.Environment.GetEnvironmentVariable("BENCH_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            start.Environment[setting[..equals]] = setting[(equals + 1)..];
        }

        var process = Process.Start(start)!;
        // A benchmark or test ended by a signal disposes nothing: the server goes with it all the same.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopQuietly(process);
        // The server's own log goes to stdout: shown when asked (BENCH_SERVER_LOG=1), for a run that fails.
        var showLog = System.Environment.GetEnvironmentVariable("BENCH_SERVER_LOG") == "1";
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
                if (showLog)
                {
                    Console.Error.WriteLine("server: " + e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); Console.Error.WriteLine("server: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = address };
        for (var i = 0; ; i++)
        {
            try
            {
                var health = await http.GetStringAsync(new Uri("healthz", UriKind.Relative));
                if (health.Contains("\"up\"", StringComparison.Ordinal))
                {
                    break;
                }
            }
            catch (HttpRequestException) when (i < 300)
            {
            }

            await Task.Delay(100);
        }

        var cookies = await FormSignIn.SignInAsync(address, "admin", AdminPassword);
        return new ServerProcess(process, address, data, ownsData: dataDirectory is null, cookies, output);
    }

    /// <param name="messagePack">The MessagePack protocol instead of JSON.</param>
    public HubConnection Hub(bool messagePack = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(Address, "hubs/docker"), o => o.Cookies = Cookies);
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        return builder.Build();
    }

    /// <summary>
    /// Idle memory as a user sees it: after sign-in and a look at the containers page, 20 s of nothing, then the
    /// median of ten once-a-second readings. Nobody forces a collection, neither the app nor this benchmark.
    /// </summary>
    public async Task<double> IdleRssMegabytesAsync()
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies }) { BaseAddress = Address };
        (await client.GetAsync(new Uri("containers", UriKind.Relative))).Dispose();
        await Task.Delay(TimeSpan.FromSeconds(20));
        var samples = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(RssMegabytes());
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    /// <summary>The median of three readings a second apart, for a server that was just given something to hold.</summary>
    public async Task<double> SettledRssMegabytesAsync()
    {
        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            samples.Add(RssMegabytes());
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the server has used so far (user and system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The server's resident memory, in MB, as the kernel counts it.</summary>
    public double RssMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    private static void StopQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or disposed after a normal stop.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_ownsData)
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
