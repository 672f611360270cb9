using System.Globalization;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.Bench;

/// <summary>
/// <c>BENCH_ONLY=replicas bench/run</c>: two replicas on the rig's PostgreSQL and Redis, 250 hub clients on each (500 in
/// all) following the engine's container events. Each round the engine makes the same events for a raw follower of its
/// own <c>/events</c> and for the 500 clients: engine time to receipt, as percentiles, beside the raw follower's; and each
/// replica's memory, idle and with its 250 clients.
/// </summary>
public static class ReplicaBench
{
    private const int ClientsPerReplica = 250;
    private const int EventsPerRound = 20;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private sealed record Round(List<double> Raw, List<double> Hub, int Expected);

    public static async Task RunAsync(string root, string dll, HttpClient raw, RigEngine engine)
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
        var database = await TestDatabases.CreateAsync();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["DockerDash__Database__Provider"] = "PostgreSQL",
                ["DockerDash__Database__ConnectionString"] = database,
                ["DockerDash__Redis__Configuration"] = TestRig.Redis,
                // 500 streams of one user (the benchmark signs in once per replica).
                ["DockerDash__Streams__PerUser"] = "1000",
                ["DockerDash__Streams__PerConnection"] = "5",
            };
            await using var a = await ServerProcess.StartAsync(dll, settings);
            await using var b = await ServerProcess.StartAsync(dll, settings);
            var idle = (A: await a.IdleRssMegabytesAsync(), B: await b.IdleRssMegabytesAsync());
            Console.WriteLine($"idle RSS: A {idle.A:0.0} MB, B {idle.B:0.0} MB");

            var clients = new List<(HubConnection Hub, char Replica)>();
            var received = new List<(char Replica, long TimeNano, long At)>();
            try
            {
                foreach (var (server, name) in new[] { (a, 'A'), (b, 'B') })
                {
                    for (var i = 0; i < ClientsPerReplica; i++)
                    {
                        var hub = server.Hub();
                        await hub.StartAsync();
                        var channel = await hub.StreamAsChannelAsync<JsonElement>("StreamEvents", new { engine = "rig", type = "container", action = "die" });
                        _ = Task.Run(async () =>
                        {
                            await foreach (var e in channel.ReadAllAsync())
                            {
                                var at = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
                                lock (received)
                                {
                                    received.Add((name, e.GetProperty("timeNano").GetInt64(), at));
                                }
                            }
                        });
                        clients.Add((hub, name));
                    }
                }

                // Every client has subscribed once a first event reaches them all.
                await EventsAsync(engine, 1);
                await WaitAsync(received, clients.Count, TimeSpan.FromSeconds(60));
                var loaded = (A: await a.SettledRssMegabytesAsync(), B: await b.SettledRssMegabytesAsync());
                Console.WriteLine($"with {ClientsPerReplica} clients each: A {loaded.A:0.0} MB, B {loaded.B:0.0} MB");

                var results = new List<Round>();
                for (var round = 0; round < rounds; round++)
                {
                    lock (received)
                    {
                        received.Clear();
                    }

                    using var rawFollow = new CancellationTokenSource();
                    var rawLatencies = new List<double>();
                    var rawTask = RawFollowAsync(raw, rawLatencies, rawFollow.Token);
                    await Task.Delay(500);
                    await EventsAsync(engine, EventsPerRound);
                    await WaitAsync(received, clients.Count * EventsPerRound, TimeSpan.FromSeconds(60));
                    await rawFollow.CancelAsync();
                    await rawTask;
                    List<double> hub;
                    lock (received)
                    {
                        hub = [.. received.Select(r => (r.At - r.TimeNano) / 1e6)];
                    }

                    results.Add(new Round(rawLatencies, hub, clients.Count * EventsPerRound));
                    Console.WriteLine($"round {round + 1}: {hub.Count} of {clients.Count * EventsPerRound} deliveries, p95 {Stats.Percentile(hub, 95)} ms, p99 {Stats.Percentile(hub, 99)} ms; raw p95 {Stats.Percentile(rawLatencies, 95)} ms");
                }

                await WriteAsync(root, results, idle, loaded, rounds);
            }
            finally
            {
                foreach (var (hub, _) in clients)
                {
                    await hub.DisposeAsync();
                }
            }
        }
        finally
        {
            await TestDatabases.DropAsync(database);
        }
    }

    /// <summary>Containers that start and die at once: one <c>die</c> event each, a quarter of a second apart.</summary>
    private static async Task EventsAsync(RigEngine engine, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await engine.RunAsync("bench-replica", ["true"]);
            await Task.Delay(250);
        }
    }

    private static async Task WaitAsync(List<(char, long, long)> received, int expected, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < until)
        {
            lock (received)
            {
                if (received.Count >= expected)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The engine's own <c>/events</c>, read as it comes: the floor any follower can reach.</summary>
    private static async Task RawFollowAsync(HttpClient raw, List<double> latencies, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString("{\"type\":[\"container\"],\"event\":[\"die\"]}");
        try
        {
            using var response = await raw.GetAsync(new Uri($"events?filters={filters}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var at = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
                using var e = JsonDocument.Parse(line);
                latencies.Add((at - e.RootElement.GetProperty("timeNano").GetInt64()) / 1e6);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteAsync(string root, List<Round> rounds, (double A, double B) idle, (double A, double B) loaded, int count)
    {
        var hub = rounds.SelectMany(r => r.Hub).ToList();
        var rawAll = rounds.SelectMany(r => r.Raw).ToList();
        var outDir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "replicas.json"), JsonSerializer.Serialize(new
        {
            replicas = 2,
            clientsPerReplica = ClientsPerReplica,
            eventsPerRound = EventsPerRound,
            rounds = rounds.Select(r => new
            {
                delivered = r.Hub.Count,
                expected = r.Expected,
                p50 = Stats.Percentile(r.Hub, 50),
                p95 = Stats.Percentile(r.Hub, 95),
                p99 = Stats.Percentile(r.Hub, 99),
                rawP50 = Stats.Percentile(r.Raw, 50),
                rawP95 = Stats.Percentile(r.Raw, 95),
                rawP99 = Stats.Percentile(r.Raw, 99),
            }),
            memoryMb = new { idleA = Math.Round(idle.A, 1), idleB = Math.Round(idle.B, 1), withClientsA = Math.Round(loaded.A, 1), withClientsB = Math.Round(loaded.B, 1) },
            machine = new { cores = Environment.ProcessorCount, measuredAt = DateTimeOffset.UtcNow },
        }, Indented));

        var md = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        md.AppendLine("# 500 hub clients on two replicas (`BENCH_ONLY=replicas bench/run`)").AppendLine();
        md.AppendLine(invariant, $"Two replicas on the rig's PostgreSQL and Redis, {ClientsPerReplica} hub clients (SignalR .NET, JSON) on each following the rig's `die` events; {count} rounds of {EventsPerRound} events a quarter of a second apart. The same events are followed raw from the engine's `/events` in each round. Latency: engine event time to receipt by the client (one clock: all on this machine), in ms.").AppendLine();
        md.AppendLine("| round | delivered | p50 | p95 | p99 | raw p50 | raw p95 | raw p99 |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        var i = 0;
        foreach (var r in rounds)
        {
            md.AppendLine(invariant, $"| {++i} | {r.Hub.Count} of {r.Expected} | {Stats.Percentile(r.Hub, 50)} | {Stats.Percentile(r.Hub, 95)} | {Stats.Percentile(r.Hub, 99)} | {Stats.Percentile(r.Raw, 50)} | {Stats.Percentile(r.Raw, 95)} | {Stats.Percentile(r.Raw, 99)} |");
        }

        md.AppendLine(invariant, $"| all | {hub.Count} | {Stats.Percentile(hub, 50)} | {Stats.Percentile(hub, 95)} | {Stats.Percentile(hub, 99)} | {Stats.Percentile(rawAll, 50)} | {Stats.Percentile(rawAll, 95)} | {Stats.Percentile(rawAll, 99)} |").AppendLine();
        md.AppendLine("| memory (RSS, MB) | replica A | replica B |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(invariant, $"| idle (signed in, containers page seen, 20 s quiet) | {idle.A:0.0} | {idle.B:0.0} |");
        md.AppendLine(invariant, $"| with {ClientsPerReplica} event followers | {loaded.A:0.0} | {loaded.B:0.0} |");
        await File.WriteAllTextAsync(Path.Combine(outDir, "replicas.md"), md.ToString());
        Console.WriteLine($"wrote {outDir}/replicas.json and replicas.md");
    }
}
