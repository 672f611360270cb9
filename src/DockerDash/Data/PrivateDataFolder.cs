using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace DockerDash.Data;

/// <summary>
/// The data folder holds the database and the Data Protection key ring: whoever reads them can forge a
/// session. The folder is 0700 and its files 0600 (on Unix); the key ring can also be encrypted with a
/// certificate (<c>DockerDash:DataProtection:CertificatePath</c>, PEM with its key or PKCS#12).
/// </summary>
public static class PrivateDataFolder
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> if needed and makes it and everything in it the owner's alone.</summary>
    public static string Secure(string path)
    {
        Directory.CreateDirectory(path);
        if (OperatingSystem.IsWindows())
        {
            return path;
        }

        // Whatever the process creates from now on (SQLite's journal files, new keys) is the owner's alone too.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetUmask(0b000_111_111);
        }

        File.SetUnixFileMode(path, OwnerOnlyFolder);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry.FullName, entry is DirectoryInfo ? OwnerOnlyFolder : OwnerOnlyFile);
        }

        return path;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);

    public static void AddKeyRing(this IServiceCollection services, string dataFolder, DatabaseProvider provider, IConfiguration configuration)
    {
        var protection = services.AddDataProtection().SetApplicationName("DockerDash");
        if (provider == DatabaseProvider.PostgreSQL)
        {
            // Every replica reads and writes the one ring: a cookie or a registry secret protected on one is read on all.
            protection.PersistKeysToDbContext<DashboardDbContext>();
        }
        else
        {
            var keys = Secure(Path.Combine(dataFolder, "keys"));
            services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new OwnerOnlyXmlRepository(new FileSystemXmlRepository(new DirectoryInfo(keys), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance), keys));
        }

        if (configuration["DockerDash:DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            protection.ProtectKeysWithCertificate(LoadCertificate(certificatePath, configuration["DockerDash:DataProtection:CertificatePassword"]));
        }
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"DockerDash:DataProtection:CertificatePath names {path}, which does not exist.");
        }

        var certificate = path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The certificate in {path} has no private key: the key ring could be encrypted but never read again.");
    }

    /// <summary>Stores each key as the file system repository does, then makes the new file the owner's alone.</summary>
    private sealed class OwnerOnlyXmlRepository(IXmlRepository inner, string folder) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => inner.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            inner.StoreElement(element, friendlyName);
            Secure(folder);
        }
    }
}
