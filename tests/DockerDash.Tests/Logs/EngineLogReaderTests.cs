using System.Text;
using DockerDash.Logs;

namespace DockerDash.Tests.Logs;

public class EngineLogReaderTests
{
    private static async Task<List<string>> ReadAsync(string terminalOutput, bool incompleteLastLine)
    {
        var lines = new List<string>();
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(terminalOutput));
        await foreach (var batch in EngineLogReader.ReadBatchesAsync(stream, tty: true, CancellationToken.None, incompleteLastLine))
        {
            lines.AddRange(batch.Select(l => l.Text));
        }

        return lines;
    }

    [Fact]
    public async Task A_last_line_still_being_written_is_a_line_at_the_end_of_a_finished_read() =>
        Assert.Equal(["done", "half a li"], await ReadAsync("2026-11-27T14:00:00.000000001Z done\n2026-11-27T14:00:00.000000002Z half a li", incompleteLastLine: true));

    [Fact]
    public async Task History_before_a_live_feed_leaves_a_line_still_being_written_to_the_feed() =>
        Assert.Equal(["done"], await ReadAsync("2026-11-27T14:00:00.000000001Z done\n2026-11-27T14:00:00.000000002Z half a li", incompleteLastLine: false));
}
