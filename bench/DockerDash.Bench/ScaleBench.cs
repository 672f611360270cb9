using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace DockerDash.Bench;

/// <summary>
/// <c>BENCH_ONLY=scale bench/run</c>: 20 engines (names all pointing at the rig's socket) with 500 containers each, 10,000
/// rows in all, on the containers page in headless Chromium: the first render, a filter keystroke to updated rows, an
/// engine event to its row, and the server's memory at that size. Beside them, what the raw Engine API takes to list the
/// same 10,000 containers.
/// </summary>
public static class ScaleBench
{
    private const int Engines = 20;
    private const int PerEngine = 500;
    private const int Rows = Engines * PerEngine;
    private const int Renders = 15;
    private const int KeystrokePairs = 15;
    private const int EventCycles = 30;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Watches the page from inside the browser: a keystroke in the search box to the frame that shows the changed count
    /// (rows and count are one render batch), and each change of the first row named <c>name</c> to the frame that shows it,
    /// as epoch milliseconds to compare with the engine's event times.
    /// </summary>
    private const string Observer = """
        name => {
          const dd = window.__dd = { keys: [], events: [], t0: 0, before: null };
          const count = () => document.querySelector('[data-testid=container-count]')?.textContent;
          const input = document.querySelector('[data-testid=search] input, input[data-testid=search]');
          input.addEventListener('keydown', () => { dd.t0 = performance.now(); dd.before = count(); }, true);
          let shown = null;
          new MutationObserver(() => {
            if (dd.t0 && count() !== dd.before) {
              const t0 = dd.t0; dd.t0 = 0;
              requestAnimationFrame(() => dd.keys.push(performance.now() - t0));
            }
            const cell = document.querySelector(`[data-testid=container-row][data-name="${name}"]`);
            const state = cell?.parentElement.querySelector('[data-testid=state-chip]')?.dataset.state;
            if (state && state !== shown) {
              const first = shown === null;
              shown = state;
              if (!first) requestAnimationFrame(() => dd.events.push({ t: performance.timeOrigin + performance.now(), state }));
            }
          }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """;

    public static async Task RunAsync(string root, string dll, RigEngine engine)
    {
        Console.WriteLine($"== {PerEngine} containers, seen by {Engines} engines");
        var created = await BenchContainers.CreateAsync(engine, "bench-scale", PerEngine - 1);
        // Sorts first by name, so that its rows are in view.
        var target = await engine.RunSleeperAsync("aaa-event");
        var targetName = (await engine.InspectAsync(target)).Name.TrimStart('/');
        try
        {
            var raw = await RawListAsync(engine);
            var environment = new Dictionary<string, string> { ["DockerDash__Streams__PerUser"] = "1000" };
            for (var i = 0; i < Engines; i++)
            {
                environment[$"DockerDash__Engines__{i}__Name"] = $"e{i:00}";
                environment[$"DockerDash__Engines__{i}__Endpoint"] = TestRig.EngineEndpoint;
            }

            await using var server = await ServerProcess.StartAsync(dll, environment);
            await WaitForRowsAsync(server);
            var idleRss = await server.IdleRssMegabytesAsync();
            await using var browser = await BenchBrowser.LaunchAsync();
            var session = await browser.SessionAsync(server);
            var (rowsShown, interactive) = await FirstRendersAsync(session);
            // The server's first search is its first time through that code (as the first tab is for the page): a tab of
            // its own takes it, reported on its own; the measured tab's keystrokes are then those of any later visitor.
            var coldKeys = await KeystrokesInNewTabAsync(session, targetName, 1);
            var page = await BenchBrowser.OpenAsync(session, "/containers", "[data-testid=container-row]");
            await page.EvaluateAsync(Observer, targetName);
            var keys = await KeystrokesAsync(page, KeystrokePairs);
            var events = await EventsAsync(page, engine, target);
            var pageRss = await server.SettledRssMegabytesAsync();
            await session.DisposeAsync();
            // Last: a scrape opens stats streams for the running containers, which the figures above are without.
            var scrape = await ScrapeAsync(server);
            await WriteAsync(root, raw, rowsShown, interactive, coldKeys, keys, events, idleRss, pageRss, scrape);
        }
        finally
        {
            await BenchContainers.RemoveAsync(engine, [.. created, target]);
        }
    }

    /// <summary>The raw Engine API's floor: the 20 engines' lists (<c>GET /containers/json?all=1</c>) fetched at once, ten times.</summary>
    private static async Task<List<double>> RawListAsync(RigEngine engine)
    {
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Engines).Select(async _ =>
            {
                using var response = await engine.Http.GetAsync(new Uri("containers/json?all=1", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
            }));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>What <c>/metrics</c> gave Prometheus-like scrapes (gzip): how many containers had their series, how large, how long.</summary>
    private sealed record Scrape(int RunningSeries, double Megabytes, List<double> Ms);

    private static async Task<Scrape> ScrapeAsync(ServerProcess server)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = server.Cookies, AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = server.Address };
        var (times, text) = (new List<double>(), "");
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        var series = text.Split('\n').Count(l => l.StartsWith("dockerdash_container_running{", StringComparison.Ordinal));
        return new Scrape(series, text.Length / 1e6, times);
    }

    private static async Task WaitForRowsAsync(ServerProcess server)
    {
        await using var hub = server.Hub();
        await hub.StartAsync();
        while ((await hub.InvokeAsync<JsonElement>("ListContainers")).GetArrayLength() < Rows)
        {
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Put in every tab before the page's own scripts: the time from the navigation's start to the frame that shows the first
    /// row (<c>__ddRows</c>), and to the frame where the page is live with every row counted (<c>__ddLive</c>).
    /// </summary>
    private const string Timings = """
        (() => {
          const count = () => document.querySelector('[data-testid=container-count]')?.textContent ?? '';
          new MutationObserver(() => {
            if (window.__ddRows === undefined && document.querySelector('[data-testid=container-row]')) {
              window.__ddRows = null;
              requestAnimationFrame(() => window.__ddRows = performance.now());
            }
            if (window.__ddLive === undefined && document.querySelector('[data-interactive=true]') && count().startsWith(window.__ddExpected)) {
              window.__ddLive = null;
              requestAnimationFrame(() => window.__ddLive = performance.now());
            }
          }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        })();
        """;

    /// <summary>New tabs at <c>/containers</c>: from the navigation's start to the first rows on screen, and to the live page with every row counted.</summary>
    /// <remarks>The first tab is the server's and the browser's first time through (code not yet compiled, nothing cached): it is reported on its own.</remarks>
    private static async Task<(List<double> Rows, List<double> Interactive)> FirstRendersAsync(IBrowserContext session)
    {
        await session.AddInitScriptAsync($"window.__ddExpected = '{Rows} of {Rows}';\n{Timings}");
        var rows = new List<double>();
        var interactive = new List<double>();
        for (var i = 0; i <= Renders; i++)
        {
            var page = await session.NewPageAsync();
            await page.GotoAsync("/containers");
            await page.WaitForFunctionAsync("() => typeof window.__ddLive === 'number' && typeof window.__ddRows === 'number'", null, new() { Timeout = 30_000 });
            rows.Add(await page.EvaluateAsync<double>("() => window.__ddRows"));
            interactive.Add(await page.EvaluateAsync<double>("() => window.__ddLive"));
            await page.CloseAsync();
        }

        return (rows, interactive);
    }

    private static async Task<List<double>> KeystrokesInNewTabAsync(IBrowserContext session, string targetName, int pairs)
    {
        var page = await BenchBrowser.OpenAsync(session, "/containers", "[data-testid=container-row]");
        await page.EvaluateAsync(Observer, targetName);
        var keys = await KeystrokesAsync(page, pairs);
        await page.CloseAsync();
        return keys;
    }

    /// <summary>Alternately "z" (no row matches) and Backspace (all 10,000 again) in the search box.</summary>
    private static async Task<List<double>> KeystrokesAsync(IPage page, int pairs)
    {
        var search = page.Locator("[data-testid=search] input, input[data-testid=search]").First;
        await search.FocusAsync();
        for (var i = 0; i < pairs * 2; i++)
        {
            await page.Keyboard.PressAsync(i % 2 == 0 ? "z" : "Backspace");
            await page.WaitForFunctionAsync("n => window.__dd.keys.length >= n", i + 1, new() { Timeout = 10_000 });
            await Task.Delay(300);
        }

        var keys = await page.EvaluateAsync<JsonElement>("() => window.__dd.keys");
        return [.. keys.EnumerateArray().Select(k => k.GetDouble())];
    }

    /// <summary>Starts and kills the target container; each engine event's time to the frame that shows it in its first row.</summary>
    private static async Task<List<double>> EventsAsync(IPage page, RigEngine engine, string id)
    {
        var engineTimes = new List<(long TimeNano, string State)>();
        using var stop = new CancellationTokenSource();
        var progress = new Progress<Message>(m =>
        {
            var state = m.Action switch { "start" => "running", "die" => "exited", _ => null };
            if (state is not null && m.TimeNano is not null)
            {
                lock (engineTimes)
                {
                    engineTimes.Add((m.TimeNano ?? 0, state));
                }
            }
        });
        var watch = engine.Client.System.MonitorEventsAsync(new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["container"] = new Dictionary<string, bool> { [id] = true } },
        }, progress, stop.Token);
        await Task.Delay(500);
        for (var i = 0; i < EventCycles; i++)
        {
            if (i % 2 == 0)
            {
                await engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "SIGKILL" });
            }
            else
            {
                await engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters());
            }

            await page.WaitForFunctionAsync("n => window.__dd.events.length >= n", i + 1, new() { Timeout = 10_000 });
            await Task.Delay(200);
        }

        await Task.Delay(500);
        await stop.CancelAsync();
        try
        {
            await watch;
        }
        catch (OperationCanceledException)
        {
        }

        var shown = (await page.EvaluateAsync<JsonElement>("() => window.__dd.events")).EnumerateArray().ToList();
        lock (engineTimes)
        {
            if (engineTimes.Count != shown.Count)
            {
                throw new InvalidOperationException($"The engine reported {engineTimes.Count} changes and the page showed {shown.Count}.");
            }

            return [.. engineTimes.Zip(shown, (e, s) => s.GetProperty("state").GetString() == e.State
                ? s.GetProperty("t").GetDouble() - e.TimeNano / 1e6
                : throw new InvalidOperationException($"The page showed {s.GetProperty("state")} where the engine said {e.State}."))];
        }
    }

    private static async Task WriteAsync(string root, List<double> raw, List<double> rows, List<double> interactive, List<double> coldKeys, List<double> keys, List<double> events, double idleRss, double pageRss, Scrape scrape)
    {
        var outDir = Path.Combine(root, "bench", "results");
        string P(List<double> values) => string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(values):0} / {Stats.Percentile(values, 95):0} / {values.Max():0}");
        var (coldRows, coldInteractive) = (rows[0], interactive[0]);
        (rows, interactive) = ([.. rows.Skip(1)], [.. interactive.Skip(1)]);
        var filtered = keys.Where((_, i) => i % 2 == 0).ToList();
        var restored = keys.Where((_, i) => i % 2 == 1).ToList();
        await File.WriteAllTextAsync(Path.Combine(outDir, "scale.json"), JsonSerializer.Serialize(new
        {
            measuredAt = DateTimeOffset.UtcNow,
            cores = Environment.ProcessorCount,
            engines = Engines,
            containers = Rows,
            rawListMs = raw,
            firstTabAfterStart = new { firstRowsMs = coldRows, interactiveMs = coldInteractive },
            firstRowsMs = rows,
            interactiveMs = interactive,
            firstKeystrokesAfterStart = new { noRowsMs = coldKeys[0], allRowsMs = coldKeys[1] },
            keystrokeToNoRowsMs = filtered,
            keystrokeToAllRowsMs = restored,
            eventToRowMs = events,
            serverRssMb = new { idle = Math.Round(idleRss, 1), withThePageOpen = Math.Round(pageRss, 1) },
            metricsScrape = new { containersWithSeries = scrape.RunningSeries, megabytes = Math.Round(scrape.Megabytes, 1), ms = scrape.Ms },
        }, Indented));
        var md = new StringBuilder();
        md.AppendLine("# 10,000 containers on 20 engines, in Chromium").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores by `BENCH_ONLY=scale bench/run`: {Engines} engines configured, all pointing at the rig's engine, which has {PerEngine} containers, so the containers page has {Rows:N0} rows (1400×900, headless Chromium, signed in as the admin). Times in ms as median / p95 / max. Keystrokes and events are timed inside the browser, to the animation frame that shows the change; event times are the engine's own `timeNano`.").AppendLine();
        md.AppendLine("| measure | median / p95 / max (ms) | samples | target |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| raw Engine API: the 20 lists at once | {P(raw)} | {raw.Count} | (floor) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| new tab → first rows on screen | {P(rows)} | {rows.Count} | <= 1000 |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| new tab → live, all {Rows:N0} counted | {P(interactive)} | {interactive.Count} | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| the first tab after the server started: first rows, live | {coldRows:0}, {coldInteractive:0} | 1 | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| keystroke \"z\" → no rows | {P(filtered)} | {filtered.Count} | <= 100 |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| keystroke Backspace → {Rows:N0} rows again | {P(restored)} | {restored.Count} | <= 100 |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| the server's first search, in a tab of its own: \"z\", Backspace | {coldKeys[0]:0}, {coldKeys[1]:0} | 1 | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| engine event → its row | {P(events)} | {events.Count} | p95 <= 250 |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `/metrics` scrape, gzip, after the rest: {scrape.RunningSeries:N0} containers with a `dockerdash_container_running` series, {scrape.Megabytes:0.0} MB of text | {P(scrape.Ms)} | {scrape.Ms.Count} | every container |");
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Server memory (RSS): {idleRss:0.0} MB idle with the 10,000 containers known, {pageRss:0.0} MB with the page open after these measurements.");
        await File.WriteAllTextAsync(Path.Combine(outDir, "scale.md"), md.ToString());
        Console.WriteLine(md);
    }
}
