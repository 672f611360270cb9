using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.X509;

namespace DockerDash.Engines;

/// <summary>
/// TLS to an engine as the Docker CLI does it with <c>DOCKER_CERT_PATH</c>: our client certificate
/// (<c>cert.pem</c>, <c>key.pem</c>), and the engine's certificate checked against <c>ca.pem</c> alone, for
/// the engine's host name (or IP address), with server authentication among its uses. A refusal says why.
/// </summary>
public static class EngineTls
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    public static X509Certificate2 ClientCertificate(string folder) =>
        DockerTlsCertificates.LoadCertificateFromPemFiles(Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));

    /// <summary>The check of the engine's certificate: against <c>ca.pem</c> when the folder has one, else the system's roots.</summary>
    public static RemoteCertificateValidationCallback ServerValidation(string folder, string host)
    {
        var caPath = Path.Combine(folder, "ca.pem");
        var ca = File.Exists(caPath) ? X509CertificateLoader.LoadCertificateFromFile(caPath) : null;
        return (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                throw new EngineCertificateException("the engine sent no certificate.");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
            if (ca is not null)
            {
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
            }

            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            if (!chain.Build(presented))
            {
                var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
                throw new EngineCertificateException(statuses.Contains(X509ChainStatusFlags.NotValidForUsage)
                    ? $"its certificate ({certificate.Subject}) is not a server certificate (server authentication is not among its uses)."
                    : $"its certificate ({certificate.Subject}) is not signed by {(ca is null ? "an authority this machine trusts" : "the CA in " + caPath)} ({string.Join(", ", statuses)}).");
            }

            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                throw new EngineCertificateException($"its certificate ({certificate.Subject}) is not made out to {host}.");
            }

            return true;
        };
    }
}

/// <summary>An engine's TLS certificate was refused; the message says why, for the engine's status line.</summary>
public sealed class EngineCertificateException(string message) : Exception(message);
