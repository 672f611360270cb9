using System.Text;

namespace DockerDash.Files;

/// <summary>
/// A tar of one file made as it is read: a header, the file's bytes read from <c>content</c> (exactly
/// <c>size</c> of them), padding and the end blocks. The engine takes uploads as tars; this wraps an upload
/// without holding it.
/// </summary>
public sealed class SingleFileTar : Stream
{
    private const int Block = 512;
    private readonly Stream _content;
    private readonly byte[] _header;
    private readonly long _size;
    private readonly long _length;
    private long _position;

    public SingleFileTar(string name, long size, Stream content, DateTimeOffset modified)
    {
        _content = content;
        _size = size;
        _header = Header(name, size, modified);
        _length = Block + ((size + Block - 1) / Block * Block) + (2 * Block);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.Length == 0)
        {
            return 0;
        }

        int read;
        if (_position < Block)
        {
            read = (int)Math.Min(buffer.Length, Block - _position);
            _header.AsMemory((int)_position, read).CopyTo(buffer);
        }
        else if (_position < Block + _size)
        {
            var wanted = (int)Math.Min(buffer.Length, Block + _size - _position);
            read = await _content.ReadAsync(buffer[..wanted], cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The upload ended after {_position - Block:N0} of {_size:N0} bytes.");
            }
        }
        else
        {
            read = (int)Math.Min(buffer.Length, _length - _position);
            buffer.Span[..read].Clear();
        }

        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>A ustar header for a regular file, mode 0644 (long names use the ustar prefix field).</summary>
    private static byte[] Header(string name, long size, DateTimeOffset modified)
    {
        var header = new byte[Block];
        void Put(int offset, string text) => Encoding.UTF8.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, Convert.ToString(modified.ToUnixTimeSeconds(), 8).PadLeft(11, '0') + "\0");
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        var sum = header.Sum(b => b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
