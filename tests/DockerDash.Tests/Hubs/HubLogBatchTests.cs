using System.Buffers;
using DockerDash.Hosting;
using DockerDash.Hubs;
using DockerDash.Logs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.Tests.Hubs;

public sealed class HubLogBatchTests
{
    private const long At = 1_764_000_000_123_456_789;

    [Fact]
    public void A_batch_of_pieces_is_written_byte_for_byte_as_the_list_of_entries_it_stands_for_in_both_protocols()
    {
        LogLine[] lines =
        [
            new(LogSource.Stdout, At, "ready: é \"quoted\" <b> \u2603 \t tab", new LogPosition(At, 0)),
            new(LogSource.Stderr, At, "", new LogPosition(At, 1)),
            new(LogSource.System, At + 1, "engine said no", new LogPosition(At + 1, 0)),
        ];
        var batch = new HubLogBatch([.. HubLogPiece.Of(LogChunk.SkippedLines(7), 1000), .. HubLogPiece.Of(new LogChunk(lines, Shared: true), 2), .. HubLogPiece.Of(new LogChunk(lines[..1]), 1000)]);
        var entries = batch.Entries.ToList();
        Assert.Equal(5, batch.Count);
        Assert.Equal(7, entries[0].Skipped);

        var protocols = HubProtocols();
        Assert.Equal(["json", "messagepack"], protocols.Select(p => p.Name).Order());
        foreach (var protocol in protocols)
        {
            // Written twice: the second time from the pieces' saved encodings.
            Assert.Equal(Write(protocol, entries), Write(protocol, batch));
            Assert.Equal(Write(protocol, entries), Write(protocol, batch));
        }
    }

    [Fact]
    public void Each_line_of_a_piece_is_written_byte_for_byte_as_its_entry_alone_in_both_protocols()
    {
        LogLine[] lines =
        [
            new(LogSource.Stdout, At, "ready: é \"quoted\" <b> \u2603 \t tab", new LogPosition(At, 0)),
            new(LogSource.Stderr, At, "", new LogPosition(At, 1)),
            new(LogSource.System, At + 1, new string('x', 70_000), new LogPosition(At + 1, 0)),
        ];
        HubLogPiece[] pieces = [.. HubLogPiece.Of(LogChunk.SkippedLines(7), 1000), .. HubLogPiece.Of(new LogChunk(lines, Shared: true), 2)];
        var sent = pieces.SelectMany(p => p.Lines).ToList();
        Assert.Equal(4, sent.Count);
        Assert.Same(pieces[1].Lines, pieces[1].Lines);

        foreach (var protocol in HubProtocols())
        {
            // In an order that makes a later entry's encoding first; then again from the saved encodings.
            foreach (var line in Enumerable.Reverse(sent).Concat(sent))
            {
                Assert.Equal(Write(protocol, line.Entry), Write(protocol, line));
            }
        }
    }

    [Fact]
    public void A_shared_batch_is_made_into_pieces_once_for_every_viewer_and_a_big_one_into_pieces_of_the_cap()
    {
        var lines = Enumerable.Range(0, 2500).Select(i => new LogLine(LogSource.Stdout, At + i, $"line {i}", new LogPosition(At + i, 0))).ToArray();

        var first = HubLogPiece.Of(new LogChunk(lines, Shared: true), 1000);
        var second = HubLogPiece.Of(new LogChunk(lines, Shared: true), 1000);
        var filtered = HubLogPiece.Of(new LogChunk(lines), 1000);

        Assert.Equal([1000, 1000, 500], first.Select(p => p.Count));
        Assert.Same(first, second);
        Assert.NotSame(first[0], filtered[0]);
        Assert.Equal(lines.Select(l => l.Text), first.SelectMany(p => p.Entries).Select(e => e.Text));
        // Large pieces are copied out in slices: still the same bytes.
        var batch = new HubLogBatch(first);
        foreach (var protocol in HubProtocols())
        {
            Assert.Equal(Write(protocol, batch.Entries.ToList()), Write(protocol, batch));
        }
    }

    private static List<IHubProtocol> HubProtocols()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSignalR().AddHubProtocols();
        return services.BuildServiceProvider().GetServices<IHubProtocol>().ToList();
    }

    private static byte[] Write(IHubProtocol protocol, object item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(new StreamItemMessage("1", item), buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
