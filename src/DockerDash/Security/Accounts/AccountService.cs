using DockerDash.Operations;
using DockerDash.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using DockerDash.Callers;

namespace DockerDash.Security.Accounts;

/// <summary>A role on a scope (an engine or registry name, or <c>*</c>).</summary>
public sealed record GrantSpec(string Scope, DashboardRole Role)
{
    public override string ToString() => $"{Scope}={Role}";

    /// <summary>Reads <c>*=Admin</c>, <c>prod=Operator</c>; null when it is not of that form.</summary>
    public static GrantSpec? Parse(string text)
    {
        var equals = text.LastIndexOf('=');
        return equals > 0 && Enum.TryParse<DashboardRole>(text[(equals + 1)..].Trim(), ignoreCase: true, out var role) && role != DashboardRole.None
            ? new GrantSpec(text[..equals].Trim(), role)
            : null;
    }
}

/// <summary>A user as the users page lists it.</summary>
public sealed record UserSummary(string Id, string UserName, IReadOnlyList<GrantSpec> Grants, bool LockedOut, bool TwoFactor, bool External, DateTimeOffset CreatedAt);

/// <summary>The outcome of creating a user: the user, or why not in a sentence.</summary>
public sealed record CreatedUser(DashboardUser? User, string? Error);

/// <summary>
/// Users and their grants. The public methods are the admin's operations and pass the gate
/// (<c>user.manage</c>); <see cref="CreateAsync"/> is also used by the first-run setup.
/// </summary>
public sealed class AccountService(
    IServiceScopeFactory scopes,
    OperationGate gate,
    CallerContext caller,
    SessionChanges sessions,
    TimeProvider time)
{
    public Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserList, null, ct => WithAccountsAsync(async (users, db) =>
        {
            var all = await db.Users.Include(u => u.Grants).OrderBy(u => u.UserName).ToListAsync(ct);
            var now = time.GetUtcNow();
            return (IReadOnlyList<UserSummary>)all.Select(u => new UserSummary(
                u.Id, u.UserName ?? "", u.Grants.Select(g => new GrantSpec(g.Scope, g.Role)).ToList(),
                u.LockoutEnd > now, u.TwoFactorEnabled, u.External, u.CreatedAt)).ToList();
        }), cancellationToken);

    public Task<DashboardUser> AddUserAsync(string userName, string password, IReadOnlyList<GrantSpec> grants, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userName, _ => WithAccountsAsync(async (users, db) =>
        {
            var created = await CreateWithAsync(users, db, userName, password, grants);
            return created.User ?? throw new OperationFailedException(created.Error!, OperationFailure.Invalid);
        }), cancellationToken);

    public Task SetGrantsAsync(string userId, IReadOnlyList<GrantSpec> grants, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userId, ct => WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, ct);
            db.Grants.RemoveRange(db.Grants.Where(g => g.UserId == userId));
            db.Grants.AddRange(Distinct(grants).Select(g => new AccessGrant { UserId = userId, Scope = g.Scope, Role = g.Role }));
            await db.SaveChangesAsync(ct);

            // A new stamp ends the user's other sessions, on every replica at once: their roles changed.
            await users.UpdateSecurityStampAsync(user);
            sessions.UserChanged(userId);
            return true;
        }), cancellationToken);

    public Task ResetPasswordAsync(string userId, string newPassword, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userId, ct => WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, ct);
            var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), newPassword);
            return reset.Succeeded ? true : throw new OperationFailedException(Describe(reset), OperationFailure.Invalid);
        }), cancellationToken);

    /// <summary>
    /// The user's own choice to turn the second factor off, confirmed with their password (an open session left
    /// unattended must not be enough to weaken the account). False, and nothing changes, when the password is wrong.
    /// </summary>
    public Task<bool> TurnOffTwoFactorAsync(string userId, string password) =>
        WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, CancellationToken.None);
            if (!await users.CheckPasswordAsync(user, password))
            {
                return false;
            }

            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
            return true;
        });

    /// <summary>Locks an account until an admin unlocks it, and ends its open sessions and connections (a new security stamp).</summary>
    public Task LockAsync(string userId, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userId, ct => WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, ct);
            if (caller.Current.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value == userId)
            {
                throw new OperationFailedException("You cannot lock your own account.", OperationFailure.Invalid);
            }

            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
            sessions.UserChanged(userId);
            return true;
        }), cancellationToken);

    public Task UnlockAsync(string userId, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userId, ct => WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, ct);
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            return true;
        }), cancellationToken);

    public Task DeleteAsync(string userId, CancellationToken cancellationToken = default) =>
        gate.RunAppAsync(caller.Current, AppOperations.UserManage, userId, ct => WithAccountsAsync(async (users, db) =>
        {
            var user = await FindAsync(db, userId, ct);
            if (caller.Current.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value == userId)
            {
                throw new OperationFailedException("You cannot delete your own account.", OperationFailure.Invalid);
            }

            await users.DeleteAsync(user);
            sessions.UserChanged(userId);
            return true;
        }), cancellationToken);

    /// <summary>Creates a user without asking the gate: for the first admin (bootstrap, setup).</summary>
    internal Task<CreatedUser> CreateAsync(string userName, string password, IReadOnlyList<GrantSpec> grants) =>
        WithAccountsAsync((users, db) => CreateWithAsync(users, db, userName, password, grants));

    private async Task<CreatedUser> CreateWithAsync(UserManager<DashboardUser> users, DashboardDbContext db, string userName, string password, IReadOnlyList<GrantSpec> grants)
    {
        var user = new DashboardUser { UserName = userName.Trim(), CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return new CreatedUser(null, Describe(created));
        }

        db.Grants.AddRange(Distinct(grants).Select(g => new AccessGrant { UserId = user.Id, Scope = g.Scope, Role = g.Role }));
        await db.SaveChangesAsync();
        return new CreatedUser(user, null);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a user manager and a database context of its own, disposed after it: nothing
    /// of the database outlives one operation, not even on a page whose Blazor circuit lives for hours.
    /// </summary>
    private async Task<T> WithAccountsAsync<T>(Func<UserManager<DashboardUser>, DashboardDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>(), scope.ServiceProvider.GetRequiredService<DashboardDbContext>());
    }

    private static async Task<DashboardUser> FindAsync(DashboardDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
        ?? throw new OperationFailedException("That user no longer exists.", OperationFailure.NotFound);

    private static IEnumerable<GrantSpec> Distinct(IEnumerable<GrantSpec> grants) =>
        grants.GroupBy(g => g.Scope, StringComparer.OrdinalIgnoreCase).Select(g => g.MaxBy(x => x.Role)!);

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
