using DockerDash.Operations;

namespace DockerDash.Security.Accounts;

/// <summary>Audit records for sign-ins and sessions, which happen before there is a caller to pass the gate.</summary>
public sealed class AccountAudit(IOperationAudit audit, TimeProvider time)
{
    public const string Login = "account.login";
    public const string Logout = "account.logout";
    public const string Setup = "account.setup";
    public const string Kiosk = "account.kiosk";
    public const string PasswordChange = "account.password";
    public const string TwoFactor = "account.2fa";

    public void Record(HttpContext http, string who, string operation, OperationOutcome outcome, string? message = null) =>
        audit.Record(new OperationRecord(time.GetUtcNow(), who, http.Connection.RemoteIpAddress?.ToString(), operation, DashboardClaims.AllScopes, who, outcome, message));
}
