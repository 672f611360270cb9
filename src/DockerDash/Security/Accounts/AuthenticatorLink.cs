using QRCoder;

namespace DockerDash.Security.Accounts;

/// <summary>What an authenticator app needs to add a DockerDash account: the otpauth link, and the same as a QR code to scan.</summary>
public sealed record AuthenticatorLink(string Uri)
{
    public static AuthenticatorLink For(string userName, string key) =>
        new($"otpauth://totp/DockerDash:{System.Uri.EscapeDataString(userName)}?secret={key}&issuer=DockerDash&digits=6");

    /// <summary>The link as a QR code, a PNG data URI an <c>img</c> can show without another request.</summary>
    public string QrDataUri()
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(Uri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
