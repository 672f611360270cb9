using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Bench;
using DockerDash.Engines;
using DockerDash.Logs;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

// bench/run: each figure of DockerDash beside the raw Engine API, measured in the same run on this machine.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
// The server measured is the lean publish bench/run makes (the Dockerfile's build: self-contained, its assemblies as IL
// only); BENCH_SERVER_DLL measures another build (e.g. src/DockerDash/bin/Release/net10.0/DockerDash.dll, the
// framework-dependent build `dotnet run -c Release` runs, or bench/bin/trimmed/DockerDash.dll after a memory run).
var dll = Environment.GetEnvironmentVariable("BENCH_SERVER_DLL") is { Length: > 0 } other
    ? Path.GetFullPath(other, root)
    : Path.Combine(root, "bench", "bin", "lean", "DockerDash.dll");
var lines = int.Parse(Environment.GetEnvironmentVariable("BENCH_LINES") ?? "100000", CultureInfo.InvariantCulture);
var floodSeconds = int.Parse(Environment.GetEnvironmentVariable("BENCH_FLOOD_SECONDS") ?? "60", CultureInfo.InvariantCulture);
// Rounds of the interleaved runs here (log ingest, fan-out); the narrower benches read it themselves.
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
var results = new Dictionary<string, object>();
var raw = EngineHttpClientFactory.Create(new EngineEndpoint("rig", new Uri(TestRig.EngineEndpoint), null), "1.41");

await using var engine = new RigEngine();
// The narrower runs start the servers they measure themselves.
switch (Environment.GetEnvironmentVariable("BENCH_ONLY"))
{
    case "memory":
        await MemoryBench.RunAsync(root, dll, Path.Combine(root, "bench", "bin"), engine);
        return 0;
    case "pages":
        await PagesBench.RunAsync(root, dll, engine);
        return 0;
    case "scale":
        await ScaleBench.RunAsync(root, dll, engine);
        return 0;
    case "replicas":
        await ReplicaBench.RunAsync(root, dll, raw, engine);
        return 0;
}

await using var server = await ServerProcess.StartAsync(dll);

if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "fanout")
{
    await FanOutAsync();
    return 0;
}

var idleRss = await server.IdleRssMegabytesAsync();
Console.WriteLine($"idle RSS {idleRss:0.0} MB (median of 10 samples after 20 s idle; no forced collection anywhere)");

// Log ingest: lines delivered through the hub to 1, 10 and 50 lean subscribers (JSON, what a browser's client speaks;
// each message read in place, so that the figure is the server's: LeanHubFollower) against a raw follower run just
// before each, interleaved over BENCH_ROUNDS rounds, as the engine's own speed moves by a third between runs.
// StreamLogs sends one message per line; StreamLogBatches sends the lines that are ready as one message.
// BENCH_INGEST=StreamLogs:50 measures only that method (and count of subscribers), e.g. while trying a change; such a run's
// latest.md is partial, not one to commit.
var ingestOnly = Environment.GetEnvironmentVariable("BENCH_INGEST")?.Split(':');
string[] ingestMethods = ingestOnly is [var onlyMethod, ..] ? [onlyMethod] : ["StreamLogs", "StreamLogBatches"];
int[] subscriberCounts = ingestOnly is [_, var onlyCount] ? [int.Parse(onlyCount, CultureInfo.InvariantCulture)] : [1, 10, 50];
Console.WriteLine("warming up: one lean run of each method with 10 subscribers, not counted");
foreach (var method in ingestMethods)
{
    await LeanIngestAsync(10, messagePack: false, method);
}

var ingest = new List<IngestRun>();
for (var round = 1; round <= rounds; round++)
{
    foreach (var method in ingestMethods)
    {
        foreach (var subscribers in subscriberCounts)
        {
            var rawRate = await RawIngestAsync();
            var hubRun = await LeanIngestAsync(subscribers, messagePack: false, method);
            ingest.Add(new IngestRun(round, method, subscribers, Math.Round(rawRate), hubRun));
            Console.WriteLine($"round {round}, {method}, {subscribers} subscribers: {hubRun.Rate:0} lines/s vs raw {rawRate:0} ({hubRun.Rate / rawRate:0.00}x), engine connections +{hubRun.EngineConnections}, CPU s server {hubRun.ServerCpu:0.0}, clients {hubRun.ClientCpu:0.0}");
        }
    }
}

results["logIngest"] = new { lines, rounds, runs = ingest };

// Event latency: engine event time to hub client receipt.
var latencies = await EventLatencyAsync();
results["eventLatencyMs"] = new { events = latencies.Count, p50 = Stats.Percentile(latencies, 50), p95 = Stats.Percentile(latencies, 95), p99 = Stats.Percentile(latencies, 99) };
Console.WriteLine($"event latency p50 {Stats.Percentile(latencies, 50)} ms, p95 {Stats.Percentile(latencies, 95)} ms, p99 {Stats.Percentile(latencies, 99)} ms over {latencies.Count} events");

// Container list: DockerDash's snapshot of 500 containers through the hub vs raw GET /containers/json?all=1.
var (rawList, hubList) = await ContainerListAsync(500);
results["containerList"] = new { containers = 500, rawMedianMs = rawList, dockerDashMedianMs = hubList, ratio = Math.Round(hubList / rawList, 3) };
Console.WriteLine($"list of 500: raw {rawList:0.00} ms, DockerDash {hubList:0.00} ms ({hubList / rawList:0.00}x)");

// Memory: idle, with 50 idle log viewers, after a flood at full speed.
var viewersRss = await FiftyIdleViewersRssAsync();
var beforeFlood = server.RssMegabytes();
var afterFlood = await FloodAsync(floodSeconds);
results["memoryMb"] = new { idle = Math.Round(idleRss, 1), fiftyIdleLogViewers = Math.Round(viewersRss, 1), beforeFlood = Math.Round(beforeFlood, 1), afterFlood = Math.Round(afterFlood, 1), floodSeconds, afterVsBefore = Math.Round(afterFlood / beforeFlood, 3) };
Console.WriteLine($"RSS: 50 idle viewers {viewersRss:0.0} MB, before flood {beforeFlood:0.0} MB, after {floodSeconds} s flood {afterFlood:0.0} MB");

results["machine"] = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString(), measuredAt = DateTimeOffset.UtcNow };
var outDir = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(outDir);
await File.WriteAllTextAsync(Path.Combine(outDir, "latest.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
await File.WriteAllTextAsync(Path.Combine(outDir, "latest.md"), Markdown.Table(ingest, rounds, latencies, rawList, hubList, idleRss, viewersRss, beforeFlood, afterFlood));
Console.WriteLine($"wrote {outDir}/latest.json and latest.md");
return 0;

async Task<double> RawIngestAsync()
{
    var id = await engine.RunAsync("bench-raw", ["sh", "-c", $"sleep 2; seq 0 {lines - 1}; sleep 3600"]);
    var stream = await EngineLogReader.OpenAsync(raw, id, EngineLogReader.Query(follow: true, tail: 0, sinceNanos: null, untilNanos: null), CancellationToken.None);
    var clock = new Stopwatch();
    var seen = 0;
    await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, tty: false, CancellationToken.None))
    {
        clock.Start();
        seen += batch.Count;
        if (seen >= lines)
        {
            break;
        }
    }

    // Gone before the hub run it is compared with: a running container is one more the server's history follows.
    await stream.DisposeAsync();
    await engine.RemoveAsync(id);
    return lines / clock.Elapsed.TotalSeconds;
}

// n SignalR .NET clients on StreamLogBatches (for the fan-out's comparison with the lean clients).
async Task<LeanRun> HubIngestAsync(int subscribers, bool messagePack)
{
    // The previous run's stream lingers two seconds after its viewers left.
    await Task.Delay(3000);
    var id = await engine.RunAsync($"bench-{subscribers}", ["sh", "-c", $"sleep 10; seq 0 {lines - 1}; sleep 3600"]);
    var hubs = new List<HubConnection>();
    var readers = new List<Task<(long First, long Last, int Received, long Skipped, bool InOrder)>>();
    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(180));
    for (var i = 0; i < subscribers; i++)
    {
        var hub = server.Hub(messagePack);
        await hub.StartAsync();
        hubs.Add(hub);
        // MessagePack carries the C# names as they are (PascalCase); JSON clients write camelCase.
        object query = messagePack ? new { Engine = "rig", Container = id, Tail = 0 } : new { engine = "rig", container = id, tail = 0 };
        var channel = await hub.StreamAsChannelAsync<IngestEntry[]>("StreamLogBatches", query);
        readers.Add(Task.Run(async () =>
        {
            long first = 0, last = 0, skipped = 0;
            var received = 0;
            var previous = -1;
            var inOrder = true;
            try
            {
                await foreach (var message in channel.ReadAllAsync(patience.Token))
                {
                    first = first == 0 ? Stopwatch.GetTimestamp() : first;
                    foreach (var entry in message)
                    {
                        if (entry.Skipped is { } gap)
                        {
                            skipped += gap;
                            continue;
                        }

                        var number = int.Parse(entry.Text!, CultureInfo.InvariantCulture);
                        inOrder &= number > previous;
                        previous = number;
                        received++;
                    }

                    last = Stopwatch.GetTimestamp();
                    if (previous == lines - 1)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Gave up waiting: what arrived is reported.
            }

            return (first, last, received, skipped, inOrder);
        }));
    }

    var cpu = Cpu();
    var done = await Task.WhenAll(readers);
    var used = cpu.Since();
    var seconds = Stopwatch.GetElapsedTime(done.Min(d => d.First), done.Max(d => d.Last)).TotalSeconds;
    foreach (var hub in hubs)
    {
        await hub.DisposeAsync();
    }

    await engine.RemoveAsync(id);
    var complete = done.Count(d => d.Received == lines && d.InOrder);
    Console.WriteLine($"   SignalR client: {complete} of {subscribers} got every line in order; fewest lines {done.Min(d => d.Received)}, most skipped {done.Max(d => d.Skipped)}");
    return new LeanRun(done.Min(d => d.Received) / seconds, complete, subscribers, EngineConnections: null, used.Server, used.Clients);
}

// n lean hub clients (LeanHubFollower) on one container, connected before its lines start; with the engine's log
// streams opened for them (DockerDash follows a container once, whoever watches).
async Task<LeanRun> LeanIngestAsync(int subscribers, bool messagePack, string method = "StreamLogBatches")
{
    // The previous run's stream lingers two seconds after its viewers left. The count starts once the new container
    // runs: the history recorder follows every running container's stats on a connection of its own, which is not a
    // log stream (until 2026-12-03 it was counted as one: "2 connections").
    await Task.Delay(3000);
    var id = await engine.RunAsync($"bench-lean{subscribers}", ["sh", "-c", $"sleep 10; seq 0 {lines - 1}; sleep 3600"]);
    await Task.Delay(2000);
    var baseline = EngineConnections();
    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(180));
    var followers = new List<LeanHubFollower>();
    for (var i = 0; i < subscribers; i++)
    {
        followers.Add(await LeanHubFollower.StartAsync(new Uri(server.Address, "hubs/docker"), server.Cookies, messagePack, method, "rig", id, patience.Token));
    }

    var cpu = Cpu();
    await Task.WhenAll(followers.Select(f => Task.Run(() => f.ReadAsync(lines - 1, patience.Token))));
    var used = cpu.Since();

    // With the followers still connected and short requests' sockets idle-closed, count the engine's connections.
    await Task.Delay(3000);
    var during = EngineConnections() - baseline;
    var seconds = Stopwatch.GetElapsedTime(followers.Min(f => f.First), followers.Max(f => f.Last)).TotalSeconds;
    var complete = followers.Count(f => f.Received == lines && f.InOrder);
    var fewest = followers.Min(f => f.Received);
    Console.WriteLine($"   lean {(messagePack ? "MessagePack" : "JSON")}: {complete} of {subscribers} got every line in order; fewest lines {fewest}, most skipped {followers.Max(f => f.Skipped)}, {followers.Sum(f => f.Received) / (double)followers.Sum(f => f.Messages):0} lines a message");
    foreach (var follower in followers)
    {
        await follower.DisposeAsync();
    }

    await engine.RemoveAsync(id);
    return new LeanRun(fewest / seconds, complete, subscribers, during, used.Server, used.Clients);
}

// CPU seconds used by the server and by this process (the clients) from now on.
CpuMark Cpu() => new(server, server.CpuTime, Process.GetCurrentProcess().TotalProcessorTime);

// What peers do: every viewer follows the engine itself. n follow streams on one container, opened before its lines
// start; the rate is lines ÷ time from the first line anywhere to the last line at the slowest follower.
async Task<double> RawFollowersAsync(int followers)
{
    var id = await engine.RunAsync($"bench-raw{followers}", ["sh", "-c", $"sleep 5; seq 0 {lines - 1}; sleep 3600"]);
    var readers = Enumerable.Range(0, followers).Select(_ => Task.Run(async () =>
    {
        var stream = await EngineLogReader.OpenAsync(raw, id, EngineLogReader.Query(follow: true, tail: 0, sinceNanos: null, untilNanos: null), CancellationToken.None);
        long first = 0;
        var seen = 0;
        await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, tty: false, CancellationToken.None))
        {
            first = first == 0 ? Stopwatch.GetTimestamp() : first;
            seen += batch.Count;
            if (seen >= lines)
            {
                break;
            }
        }

        await stream.DisposeAsync();
        return (First: first, Last: Stopwatch.GetTimestamp());
    })).ToList();
    var done = await Task.WhenAll(readers);
    await engine.RemoveAsync(id);
    return lines / Stopwatch.GetElapsedTime(done.Min(d => d.First), done.Max(d => d.Last)).TotalSeconds;
}

// BENCH_ONLY=fanout: 50 subscribers on StreamLogBatches against one raw follower and against 50 raw followers, interleaved
// over BENCH_ROUNDS rounds; medians of the ratios with their spread. The hub clients that count are lean ones (a bare
// WebSocket reading each message in place, LeanHubFollower), so that the figure is the server's; 50 clients of the
// SignalR .NET client with MessagePack run beside them for comparison. CPU seconds of the server and of the clients per run.
async Task FanOutAsync()
{
    var runs = new List<FanOutRound>();
    // A server that has run a while: its code compiled at the higher tier and its buffer pools filled. One run of each
    // kind first, not counted (the first rounds of earlier runs cost the server three times the CPU of the later ones).
    Console.WriteLine("warming up: one lean JSON and one lean MessagePack run, not counted");
    await LeanIngestAsync(50, messagePack: false);
    await LeanIngestAsync(50, messagePack: true);
    for (var round = 1; round <= rounds; round++)
    {
        var raw1 = await RawIngestAsync();
        var raw50 = await RawFollowersAsync(50);
        var json = await LeanIngestAsync(50, messagePack: false);
        var pack = await LeanIngestAsync(50, messagePack: true);
        var client = await HubIngestAsync(50, messagePack: true);
        runs.Add(new FanOutRound(raw1, raw50, json, pack, client));
        Console.WriteLine($"round {round}: raw 1 {raw1:0}, raw 50 {raw50:0}, lean JSON {json}, lean MessagePack {pack}, SignalR client MessagePack {client} lines/s");
    }

    string Ratio(Func<FanOutRound, double> of)
    {
        var sorted = runs.Select(of).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2]:0.00}x ({sorted[0]:0.00}–{sorted[^1]:0.00})");
    }

    var outDir = Path.Combine(root, "bench", "results");
    var md = new System.Text.StringBuilder();
    md.AppendLine("# Fan-out: 50 log subscribers").AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores by `BENCH_ONLY=fanout bench/run`: {lines} lines, {rounds} rounds, each round one raw follower, 50 raw followers (each its own engine stream, as peers do), 50 lean hub clients on `StreamLogBatches` with JSON, then with MessagePack (a bare WebSocket, each message read in place and every line checked in order: `LeanHubFollower`), and 50 SignalR .NET clients with MessagePack for comparison; lines/s from the first line to the last at the slowest reader. Median ratio (min–max). The clients run in the benchmark process on the same 2 cores; CPU seconds are the server's and the benchmark process's during each hub run. Before the rounds, one lean JSON and one lean MessagePack run warm the server up and are not counted.").AppendLine();
    md.AppendLine("| round | raw, 1 follower | raw, 50 followers | lean 50, JSON | lean 50, MessagePack | SignalR client 50, MessagePack | complete (JSON / MessagePack / client) | CPU s server / clients (JSON; MessagePack; client) |");
    md.AppendLine("|---|---|---|---|---|---|---|---|");
    foreach (var (run, i) in runs.Select((r, i) => (r, i + 1)))
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {i} | {run.Raw1:0} | {run.Raw50:0} | {run.Json.Rate:0} | {run.MessagePack.Rate:0} | {run.Client.Rate:0} | {run.Json.Complete}/50 / {run.MessagePack.Complete}/50 / {run.Client.Complete}/50 | {run.Json.Cpu}; {run.MessagePack.Cpu}; {run.Client.Cpu} |");
    }

    md.AppendLine();
    md.AppendLine("| ratio | lean JSON | lean MessagePack | SignalR client MessagePack | target |");
    md.AppendLine("|---|---|---|---|---|");
    md.AppendLine($"| ÷ one raw follower | {Ratio(r => r.Json.Rate / r.Raw1)} | {Ratio(r => r.MessagePack.Rate / r.Raw1)} | {Ratio(r => r.Client.Rate / r.Raw1)} | >= 0.8x |");
    md.AppendLine($"| ÷ 50 raw followers | {Ratio(r => r.Json.Rate / r.Raw50)} | {Ratio(r => r.MessagePack.Rate / r.Raw50)} | {Ratio(r => r.Client.Rate / r.Raw50)} | >= 1.5x |");
    Directory.CreateDirectory(outDir);
    await File.WriteAllTextAsync(Path.Combine(outDir, "fanout.md"), md.ToString());
    await File.WriteAllTextAsync(Path.Combine(outDir, "fanout.json"), JsonSerializer.Serialize(new { lines, rounds, runs }));
    Console.WriteLine(md);
}

async Task<List<double>> EventLatencyAsync()
{
    await using var hub = server.Hub();
    await hub.StartAsync();
    var latencies = new List<double>();
    var channel = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig", type = "container" });
    var reader = Task.Run(async () =>
    {
        await foreach (var e in channel.ReadAllAsync())
        {
            var received = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            lock (latencies)
            {
                latencies.Add((received - e.GetProperty("timeNano").GetInt64()) / 1e6);
            }
        }
    });
    await Task.Delay(500);
    for (var i = 0; i < 60; i++)
    {
        var id = await engine.RunAsync("bench-event", ["sleep", "30"]);
        await engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "SIGKILL" });
        await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
    }

    await Task.Delay(2000);
    await hub.StopAsync();
    lock (latencies)
    {
        return [.. latencies];
    }
}

async Task<(double Raw, double Hub)> ContainerListAsync(int count)
{
    var created = new List<string>();
    for (var i = 0; i < count; i++)
    {
        created.Add(await engine.RunAsync("bench-list", ["true"], start: false));
    }

    await using var hub = server.Hub();
    await hub.StartAsync();
    while ((await hub.InvokeAsync<JsonElement>("ListContainers")).GetArrayLength() < count)
    {
        await Task.Delay(200);
    }

    var rawTimes = new List<double>();
    var hubTimes = new List<double>();
    for (var i = 0; i < 25; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using (var response = await raw.GetAsync(new Uri("containers/json?all=1", UriKind.Relative)))
        {
            await response.Content.ReadAsByteArrayAsync();
        }

        rawTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        start = Stopwatch.GetTimestamp();
        await hub.InvokeAsync<JsonElement>("ListContainers");
        hubTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    foreach (var id in created)
    {
        await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
    }

    return (Math.Round(Stats.Median(rawTimes.Skip(5)), 2), Math.Round(Stats.Median(hubTimes.Skip(5)), 2));
}

async Task<double> FiftyIdleViewersRssAsync()
{
    var id = await engine.RunAsync("bench-quiet", ["sh", "-c", "seq 1 100; sleep 3600"]);
    var hubs = new List<HubConnection>();
    for (var i = 0; i < 50; i++)
    {
        var hub = server.Hub();
        await hub.StartAsync();
        _ = await hub.StreamAsChannelAsync<JsonElement>("StreamLogs", new { engine = "rig", container = id, tail = 100 });
        hubs.Add(hub);
    }

    await Task.Delay(5000);
    var rss = server.RssMegabytes();
    foreach (var hub in hubs)
    {
        await hub.DisposeAsync();
    }

    await Task.Delay(3000);
    return rss;
}

async Task<double> FloodAsync(int seconds)
{
    // As fast as the engine takes it, with the log file capped so the disk is not.
    var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
    {
        Name = TestRig.UniqueName("bench-flood"),
        Image = TestRig.Image,
        Cmd = ["sh", "-c", "yes 'flood line with some text in it to look like a log'"],
        Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
        HostConfig = new HostConfig { NetworkMode = "none", LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "50m", ["max-file"] = "2" } } },
    });
    engine.Track(created.ID);
    await using var hub = server.Hub();
    await hub.StartAsync();
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    var channel = await hub.StreamAsChannelAsync<JsonElement>("StreamLogs", new { engine = "rig", container = created.ID, tail = 0 }, stop.Token);
    await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
    long received = 0;
    try
    {
        await foreach (var _ in channel.ReadAllAsync(stop.Token))
        {
            received++;
        }
    }
    catch (OperationCanceledException)
    {
    }

    await engine.Client.Containers.KillContainerAsync(created.ID, new ContainerKillParameters { Signal = "SIGKILL" });
    await hub.StopAsync();
    Console.WriteLine($"flood: {received} entries in {seconds} s ({received / seconds} a second)");
    await Task.Delay(15_000);
    return server.RssMegabytes();
}

int EngineConnections()
{
    using var ss = Process.Start(new ProcessStartInfo("ss", ["-xp"]) { RedirectStandardOutput = true })!;
    var output = ss.StandardOutput.ReadToEnd();
    ss.WaitForExit();
    var socket = Path.Combine(TestRig.EngineDirectory, "docker.sock");
    return output.Split('\n').Count(l => l.Contains(socket, StringComparison.Ordinal) && l.Contains("dockerd", StringComparison.Ordinal) && l.Contains("ESTAB", StringComparison.Ordinal));
}

/// <summary>One round of the fan-out benchmark (lines/s; hub runs with their completeness and CPU).</summary>
internal sealed record FanOutRound(double Raw1, double Raw50, LeanRun Json, LeanRun MessagePack, LeanRun Client);

/// <summary>One hub run: lines/s at the slowest subscriber, how many got every line in order, the engine log streams opened for it (if counted), CPU seconds.</summary>
internal sealed record LeanRun(double Rate, int Complete, int Subscribers, int? EngineConnections, double ServerCpu, double ClientCpu)
{
    public string Cpu => string.Create(CultureInfo.InvariantCulture, $"{ServerCpu:0.0} / {ClientCpu:0.0}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rate:0} ({Complete}/{Subscribers} complete, CPU s server {ServerCpu:0.0}, clients {ClientCpu:0.0})");
}

/// <summary>One log-ingest measurement of the main benchmark: a raw follower's rate just before a hub run of <paramref name="Method"/>.</summary>
internal sealed record IngestRun(int Round, string Method, int Subscribers, double RawRate, LeanRun Hub)
{
    public double Ratio => Hub.Rate / RawRate;
}

internal sealed record CpuMark(ServerProcess Server, TimeSpan ServerAt, TimeSpan ClientsAt)
{
    public (double Server, double Clients) Since() =>
        ((Server.CpuTime - ServerAt).TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - ClientsAt).TotalSeconds);
}
