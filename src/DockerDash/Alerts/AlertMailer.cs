using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DockerDash.Alerts;

/// <summary><c>DockerDash:Smtp</c>: the mail server e-mail alert targets are sent through.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "DockerDash:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>Auto</c> (TLS on port 465, STARTTLS when offered elsewhere), <c>StartTls</c> (required), <c>SslOnConnect</c> or <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, as in <c>DockerDash &lt;alerts@example.com&gt;</c>.</summary>
    public string From { get; set; } = "DockerDash <dockerdash@localhost>";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Sends alert firings as e-mail through MailKit, one connection per message (alerts are few).</summary>
public sealed class AlertMailer(IOptions<SmtpOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public bool Configured => options.Value.Configured;

    /// <summary>Why these recipients cannot be used, or null: one address or several, separated by commas.</summary>
    public string? Problem(string recipients) =>
        !Configured ? "E-mail needs a mail server: set DockerDash:Smtp:Host (and Port, Username, Password, From)."
        : !InternetAddressList.TryParse(recipients, out var list) || list.Mailboxes.Count() != list.Count || list.Count == 0 ? $"'{recipients}' is not a list of e-mail addresses (write them separated by commas)."
        : !MailboxAddress.TryParse(options.Value.From, out _) ? $"DockerDash:Smtp:From '{options.Value.From}' is not an e-mail address."
        : null;

    /// <summary>The message for a firing (or its resolution): the rule and the container in the subject, the whole message in the body.</summary>
    public MimeMessage Message(AlertWebhook target, AlertFiring firing)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.AddRange(InternetAddressList.Parse(target.Url));
        var about = firing.ContainerName.Length > 0 ? $"{firing.ContainerName} on {firing.Engine}" : firing.Engine;
        message.Subject = $"[DockerDash] {(firing.ResolvedAt is null ? "" : "Resolved: ")}{firing.RuleName}: {about}";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                {firing.Message}

                Rule:    {firing.RuleName} ({firing.Kind})
                Engine:  {firing.Engine}
                {(firing.ContainerName.Length > 0 ? $"Container: {firing.ContainerName} ({firing.ContainerId})" : "")}
                Fired:   {firing.FiredAt:yyyy-MM-dd HH:mm:ss} UTC{(firing.ResolvedAt is { } resolved ? $"\nResolved: {resolved:yyyy-MM-dd HH:mm:ss} UTC" : "")}

                Sent by DockerDash to {target.Name}.
                """,
        };
        return message;
    }

    /// <summary>Null when the mail server took the message, else why not.</summary>
    public async Task<string?> SendAsync(AlertWebhook target, AlertFiring firing, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Problem(target.Url) is { } problem)
        {
            return problem;
        }

        using var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await smtp.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            await smtp.SendAsync(Message(target, firing), cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return null;
        }
        catch (AuthenticationException e)
        {
            return $"the mail server {settings.Host} refused the sign-in of {settings.Username}: {e.Message}";
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or SslHandshakeException or SocketException or IOException or TimeoutException or ServiceNotConnectedException)
        {
            return $"the mail server {settings.Host}:{settings.Port} did not take it: {e.Message}";
        }
    }
}
