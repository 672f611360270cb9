using System.Globalization;
using System.Text;
using DockerDash.Operations;
using DockerDash.Data;
using Microsoft.EntityFrameworkCore;
using DockerDash.Callers;

namespace DockerDash.Security.Audit;

/// <summary>What the audit page asks for; every field optional.</summary>
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Caller = null, string? Operation = null, string? Scope = null, string? Outcome = null, string? Text = null, int Limit = 500);

/// <summary>Reads the audit log for admins (<c>audit.read</c> through the gate): filtered lists and CSV.</summary>
public sealed class AuditService(IDbContextFactory<DashboardDbContext> databases, OperationGate gate, CallerContext caller)
{
    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.AuditRead, null, async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return (IReadOnlyList<AuditEntry>)await Filter(db.Audit.AsNoTracking(), query).OrderByDescending(e => e.Id).Take(query.Limit).ToListAsync(ct);
        }, cancellationToken);

    /// <summary>Writes every matching entry as CSV, oldest first, streaming from the database.</summary>
    public Task WriteCsvAsync(AuditQuery query, Stream output, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.AuditRead, "csv", async ct =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
            await writer.WriteLineAsync("time,caller,address,operation,scope,target,outcome,message");
            await foreach (var e in Filter(db.Audit.AsNoTracking(), query).OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                await writer.WriteLineAsync(string.Join(',', new[]
                {
                    e.Time.ToString("O", CultureInfo.InvariantCulture), e.Caller, e.Address, e.Operation, e.Scope, e.Target, e.Outcome, e.Message,
                }.Select(Csv)));
            }

            return true;
        }, cancellationToken);

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> entries, AuditQuery q)
    {
        if (q.From is { } from)
        {
            entries = entries.Where(e => e.Time >= from);
        }

        if (q.To is { } to)
        {
            entries = entries.Where(e => e.Time <= to);
        }

        if (!string.IsNullOrWhiteSpace(q.Caller))
        {
            entries = entries.Where(e => e.Caller.Contains(q.Caller));
        }

        if (!string.IsNullOrWhiteSpace(q.Operation))
        {
            entries = entries.Where(e => e.Operation.StartsWith(q.Operation));
        }

        if (!string.IsNullOrWhiteSpace(q.Scope))
        {
            entries = entries.Where(e => e.Scope == q.Scope);
        }

        if (!string.IsNullOrWhiteSpace(q.Outcome))
        {
            entries = entries.Where(e => e.Outcome == q.Outcome);
        }

        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            entries = entries.Where(e => (e.Target != null && e.Target.Contains(q.Text)) || (e.Message != null && e.Message.Contains(q.Text)));
        }

        return entries;
    }

    /// <summary>A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets.</summary>
    public static string Csv(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
