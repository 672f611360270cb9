using System.Text;
using System.Threading.Channels;
using DockerDash.Security;
using DockerDash.Terminals;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>Consoles (exec and attach) through the hub, against the rig's engine: typing, output, resize, the end, what is left behind, the recording.</summary>
public class ConsoleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly string[] NoSuchCommand = ["no-such-command"];

    [Fact]
    public async Task A_hub_client_types_into_a_shell_reads_the_output_resizes_it_and_the_recording_has_what_was_typed()
    {
        var container = await fixture.SharedSleeperAsync();
        await using var console = await HubConsole.OpenAsync(fixture, "Exec", new { engine = "rig", container, session = "one", cols = 80, rows = 24 });

        await console.TypeAsync("echo $((6*7))\r");
        await console.WaitForAsync("\n42\r\n");

        await console.TypeAsync("stty size\r");
        await console.WaitForAsync("24 80");
        await console.Hub.InvokeAsync("ResizeExec", "one", 100, 30);
        await console.TypeAsync("stty size\r");
        await console.WaitForAsync("30 100");

        await console.TypeAsync("exit 3\r");
        await console.WaitForAsync("[process exited with code 3]");

        var ended = await Eventually.GetAsync(fixture.App.AuditAsync, audit => audit.Any(e => e.Operation == "container.exec" && e.Message?.Contains("process exited with code 3") == true), Patience, "the session's end in the audit");
        var record = ended.First(e => e.Operation == "container.exec" && e.Message?.Contains("process exited with code 3") == true);
        Assert.Contains("/bin/sh as the container's user", record.Target, StringComparison.Ordinal);
        var session = TerminalRecordings.MentionedIn().Match(record.Message!).Groups[1].Value;
        var recording = await fixture.App.As<TerminalService>().RecordingAsync(session);
        Assert.Contains("echo $((6*7))\rstty size\r", recording.Typed, StringComparison.Ordinal);
        Assert.Contains("42", recording.Shown, StringComparison.Ordinal);
        Assert.Contains(recording.Events, e => e is { Kind: "r", Data: "100x30" });
    }

    [Fact]
    public async Task Closing_the_console_stops_the_process_it_left_running()
    {
        var container = await fixture.SharedSleeperAsync();
        await using (var console = await HubConsole.OpenAsync(fixture, "Exec", new { engine = "rig", container }))
        {
            await console.TypeAsync("sleep 4321\r");
            await Eventually.GetAsync(() => fixture.Containers().TopAsync(new("rig", container)), top => Commands(top).Any(c => c.Contains("sleep 4321", StringComparison.Ordinal)), Patience, "the sleep started in the console");
        }

        await Eventually.GetAsync(() => fixture.Containers().TopAsync(new("rig", container)), top => !Commands(top).Any(c => c.Contains("sleep 4321", StringComparison.Ordinal)), Patience, "the console's sleep gone");
        await Eventually.GetAsync(fixture.App.AuditAsync, audit => audit.Any(e => e.Message?.Contains("stopped the process the session left running") == true), Patience, "the audit saying so");
    }

    [Fact]
    public async Task Attach_reaches_the_main_shell_of_a_container_started_with_it_and_leaves_it_running()
    {
        var container = await fixture.Engine.RunAsync("attach", ["sh"], tty: true, interactive: true);
        await using (var console = await HubConsole.OpenAsync(fixture, "Attach", new { engine = "rig", container }))
        {
            await console.TypeAsync("echo attached-$((40+2))\r");
            await console.WaitForAsync("attached-42");
        }

        Assert.True((await fixture.Engine.InspectAsync(container)).State?.Running);
        await fixture.Engine.RemoveAsync(container);
    }

    [Fact]
    public async Task A_stopped_container_an_unknown_command_and_a_viewer_each_get_a_sentence()
    {
        var stopped = await fixture.Engine.RunSleeperAsync("console-stopped", start: false);
        var refused = await Assert.ThrowsAsync<HubException>(() => HubConsole.OpenAsync(fixture, "Exec", new { engine = "rig", container = stopped }));
        Assert.Contains("is not running (created): start it to open a console.", refused.Message, StringComparison.Ordinal);
        await fixture.Engine.RemoveAsync(stopped);

        await using (var console = await HubConsole.OpenAsync(fixture, "Exec", new { engine = "rig", container = await fixture.SharedSleeperAsync(), cmd = NoSuchCommand }))
        {
            await console.WaitForAsync("executable file not found");
            await console.WaitForAsync("[the command could not be run (exit code 126)]");
        }

        var sleeper = await fixture.SharedSleeperAsync();
        var viewer = await Assert.ThrowsAsync<HubException>(() => HubConsole.OpenAsync(fixture, "Exec", new { engine = "rig", container = sleeper }, DashboardRole.Viewer));
        Assert.Contains("You may not", viewer.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Commands(DockerDash.Containers.ContainerProcesses top) =>
        top.Rows.Select(p => string.Join(' ', p));

    /// <summary>A console opened through the hub: keystrokes go up a client stream, output is collected as it comes.</summary>
    private sealed class HubConsole : IAsyncDisposable
    {
        private readonly Channel<string> _keys = Channel.CreateUnbounded<string>();
        private readonly StringBuilder _output = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _more = new(0);
        private Task _reading = Task.CompletedTask;

        public HubConnection Hub { get; private init; } = default!;

        public static async Task<HubConsole> OpenAsync(AppFixture fixture, string method, object request, DashboardRole role = DashboardRole.Admin)
        {
            var console = new HubConsole { Hub = fixture.App.Hub(await fixture.TokenAsync(role)) };
            await console.Hub.StartAsync();
            var output = console.Hub.StreamAsync<string>(method, request, console._keys.Reader.ReadAllAsync(), console._stop.Token).GetAsyncEnumerator(console._stop.Token);
            try
            {
                // The first item (or the refusal) arrives once the session is open; a refusal is thrown here.
                await console.ReadOneAsync(output);
            }
            catch
            {
                await console.DisposeAsync();
                throw;
            }

            console._reading = console.ReadAllAsync(output);
            return console;
        }

        public async Task TypeAsync(string keys) => await _keys.Writer.WriteAsync(keys);

        /// <summary>Waits (on arriving output, not a clock) until the output so far contains <paramref name="text"/>.</summary>
        public async Task WaitForAsync(string text)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                try
                {
                    await _more.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"The console never showed '{text}'; it showed:\n{Output}");
                }
            }
        }

        private string Output
        {
            get { lock (_output) { return _output.ToString(); } }
        }

        private async Task<bool> ReadOneAsync(IAsyncEnumerator<string> output)
        {
            if (!await output.MoveNextAsync())
            {
                return false;
            }

            lock (_output)
            {
                _output.Append(output.Current);
            }

            _more.Release();
            return true;
        }

        private async Task ReadAllAsync(IAsyncEnumerator<string> output)
        {
            try
            {
                while (await ReadOneAsync(output))
                {
                }
            }
            catch (OperationCanceledException)
            {
                // Closed by the test.
            }
            finally
            {
                await output.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _keys.Writer.TryComplete();
            await _stop.CancelAsync();
            await _reading;
            await Hub.DisposeAsync();
            _stop.Dispose();
        }
    }
}
