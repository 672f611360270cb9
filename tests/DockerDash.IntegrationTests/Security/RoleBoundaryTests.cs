using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DockerDash.Jobs;
using DockerDash.Containers;
using DockerDash.Data;
using DockerDash.Files;
using DockerDash.Images;
using DockerDash.Logs;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.IntegrationTests.Security;

/// <summary>
/// What an Operator or Viewer can reach beyond their role, closed (issue 11, items 3, 9, 10, 11, 13): files
/// and the data folder, sensitive reads in the audit, jobs per caller, secrets in commands and images, uploads.
/// </summary>
public sealed class RoleBoundaryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] SecretCommand = ["sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait", "--password=hunter2"];

    [Fact]
    public async Task An_operator_cannot_read_a_containers_files_or_log_an_engine_in_with_a_saved_password()
    {
        var id = await fixture.SharedSleeperAsync();
        var operatorCaller = TestCallers.With(DashboardRole.Operator);

        await Assert.ThrowsAsync<OperationDeniedException>(() => fixture.App.As<ContainerFiles>(operatorCaller).ListAsync("rig", id, "/"));
        await Assert.ThrowsAsync<OperationDeniedException>(() => fixture.App.As<ContainerFiles>(operatorCaller).DownloadAsync("rig", id, "/etc", Stream.Null));
        await Assert.ThrowsAsync<OperationDeniedException>(() => fixture.App.As<DockerDash.Registries.RegistryService>(operatorCaller).CheckEngineLoginAsync(1, "rig"));
    }

    [Fact]
    public async Task File_downloads_exports_log_downloads_and_unmasked_secrets_are_in_the_audit()
    {
        var id = await fixture.SharedSleeperAsync();
        var admin = TestCallers.With(DashboardRole.Admin, name: "sensitive-reader");

        await fixture.App.As<ContainerFiles>(admin).DownloadAsync("rig", id, "/etc/hostname", Stream.Null);
        await fixture.App.As<ImageTransfers>(admin).ExportContainerAsync("rig", id, Stream.Null, CancellationToken.None);
        await fixture.App.As<LogService>(admin).WriteAllAsync(new ContainerKey("rig", id), Stream.Null, timestamps: true, CancellationToken.None);
        fixture.App.As<ContainerService>(admin).RecordSecretsShown(new ContainerKey("rig", id));

        var audit = (await fixture.App.AuditAsync()).Where(e => e.Caller == admin.DisplayName && e.Outcome == nameof(OperationOutcome.Succeeded)).Select(e => e.Operation).ToList();
        Assert.Contains(EngineOperations.ContainerFilesRead.Name, audit);
        Assert.Contains(EngineOperations.ContainerExport.Name, audit);
        Assert.Contains(EngineOperations.ContainerLogsDownload.Name, audit);
        Assert.Contains(EngineOperations.ContainerSecrets.Name, audit);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task With_SQLite_the_data_folder_is_the_owners_alone_and_so_are_the_database_and_key_files()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Database:Provider=Sqlite");
        var keys = Path.Combine(app.DataDirectory, "keys");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(app.DataDirectory));
        Assert.NotEmpty(Directory.GetFiles(keys));
        Assert.Contains(Directory.GetFiles(app.DataDirectory), f => Path.GetFileName(f) == "dockerdash.db");
        Assert.All(Directory.GetFiles(keys).Concat(Directory.GetFiles(app.DataDirectory)), file =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task With_a_certificate_configured_the_key_ring_is_encrypted_in_files_and_in_PostgreSQL()
    {
        var folder = Directory.CreateTempSubdirectory("dockerdash-keyring-cert-").FullName;
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var request = new CertificateRequest("CN=dockerdash-key-ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(3));
            var path = Path.Combine(folder, "keyring.pfx");
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
            string[] withCertificate = [$"--DockerDash:DataProtection:CertificatePath={path}", "--DockerDash:DataProtection:CertificatePassword=pfx-password"];

            await using (var onSqlite = await DashboardApp.StartAsync([.. withCertificate, "--DockerDash:Database:Provider=Sqlite"]))
            {
                var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(onSqlite.DataDirectory, "keys")));
                AssertEncrypted(await File.ReadAllTextAsync(keyFile));
            }

            await using var onPostgres = await DashboardApp.StartAsync(withCertificate);
            await using var db = await onPostgres.Get<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
            Assert.True(db.Database.IsNpgsql());
            Assert.Empty(Directory.GetFileSystemEntries(onPostgres.DataDirectory, "keys"));
            AssertEncrypted(Assert.Single(await db.DataProtectionKeys.ToListAsync()).Xml!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static void AssertEncrypted(string xml)
        {
            Assert.Contains("EncryptedXml", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_session_whose_cookie_claims_more_than_the_database_grants_is_refused()
    {
        await fixture.App.As<AccountService>().AddUserAsync("forger", "the-forger-password", [new GrantSpec("*", DashboardRole.Viewer)]);
        using var scope = fixture.App.Services.CreateScope();
        var validator = scope.ServiceProvider.GetRequiredService<SessionValidator>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<DockerDash.Data.DashboardUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<DockerDash.Data.DashboardUser>>();
        var honest = await factory.CreateAsync((await users.FindByNameAsync("forger"))!);
        var forged = new ClaimsPrincipal(new ClaimsIdentity(honest.Claims.Append(DashboardClaims.GrantClaim("*", DashboardRole.Admin)), "Identity.Application"));

        Assert.True(await validator.IsValidAsync(honest));
        Assert.False(await validator.IsValidAsync(forged));
    }

    [Fact]
    public async Task Each_caller_sees_and_dismisses_only_their_own_jobs_and_an_admin_sees_all()
    {
        var ana = TestCallers.With(DashboardRole.Operator, name: "ana");
        var bob = TestCallers.With(DashboardRole.Viewer, name: "bob");
        var admin = TestCallers.With(DashboardRole.Admin, name: "boss");
        var jobs = fixture.App.Get<JobRunner>();
        var pull = fixture.App.As<ImageService>(ana).StartPull("rig", $"{TestRig.Registry}/dockerdash/missing-{TestRig.RunId}:none");
        await pull.Completion;

        jobs.Dismiss(pull.Id, bob);

        Assert.DoesNotContain(jobs.VisibleTo(bob), o => o.Id == pull.Id);
        Assert.Contains(jobs.VisibleTo(ana), o => o.Id == pull.Id);
        Assert.Contains(jobs.VisibleTo(admin), o => o.Id == pull.Id);
        jobs.Dismiss(pull.Id, ana);
        Assert.DoesNotContain(jobs.All, o => o.Id == pull.Id);
    }

    [Fact]
    public async Task A_viewer_sees_no_secret_in_commands_health_checks_log_options_or_image_history()
    {
        var name = TestRig.UniqueName("secret-flags");
        var created = await fixture.Engine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = name,
            Image = TestRig.Image,
            Cmd = SecretCommand,
            Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId },
            Healthcheck = new Docker.DotNet.Models.HealthcheckConfig { Test = ["CMD-SHELL", "wget -q http://probe:hunter2@localhost/ || true"] },
            HostConfig = new Docker.DotNet.Models.HostConfig
            {
                NetworkMode = "none",
                LogConfig = new Docker.DotNet.Models.LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "1m" } },
            },
        });
        fixture.Engine.Track(created.ID);
        var viewer = TestCallers.With(DashboardRole.Viewer);

        var details = await fixture.App.As<ContainerService>(viewer).InspectAsync(new ContainerKey("rig", created.ID));
        var document = await fixture.App.As<ContainerService>(viewer).InspectDocumentAsync(new ContainerKey("rig", created.ID), revealSecrets: true);
        var history = await fixture.App.As<ImageService>(viewer).HistoryAsync("rig", TestRig.Image);

        Assert.DoesNotContain("hunter2", details.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain(":hunter2@", document, StringComparison.Ordinal);
        Assert.Contains("--password=" + SecretMasking.Mask, document, StringComparison.Ordinal);
        Assert.NotEmpty(history);
    }

    [Fact]
    public async Task An_upload_with_a_foreign_authorization_header_but_no_dashboard_token_is_refused()
    {
        using var browser = new SessionSecurityTests.LoginForm(fixture.App.Address);
        await browser.PostAsync("admin", DashboardApp.AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/images/rig/load", UriKind.Relative)) { Content = new ByteArrayContent(new byte[1024]) };
        request.Headers.Authorization = new("Basic", "c29tZTpvbmU=");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Single_sign_on_keys_users_by_issuer_and_subject_not_by_a_chosen_user_name()
    {
        static ClaimsPrincipal Identity(string issuer, string sub, string username) => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, sub, ClaimValueTypes.String, issuer), new Claim("iss", issuer), new Claim("preferred_username", username)], "oidc"));
        using var scope = fixture.App.Services.CreateScope();
        GrantSpec[] viewer = [new("*", DashboardRole.Viewer)];

        var alice = await OidcLogin.EnsureUserAsync(scope.ServiceProvider, Identity("https://idp-one.test", "sub-1", "alice"), viewer);
        var impostor = await OidcLogin.EnsureUserAsync(scope.ServiceProvider, Identity("https://idp-two.test", "sub-9", "alice"), viewer);
        var aliceRenamed = await OidcLogin.EnsureUserAsync(scope.ServiceProvider, Identity("https://idp-one.test", "sub-1", "alice-smith"), viewer);

        Assert.NotEqual(alice.Id, impostor.Id);
        Assert.Equal(alice.Id, aliceRenamed.Id);
        Assert.Equal("oidc-alice", alice.UserName);
        Assert.Equal("oidc-alice-2", impostor.UserName);
    }

    [Fact]
    public async Task Healthz_without_a_login_names_no_engine_address()
    {
        await using var app = await DashboardApp.StartAsync("--DockerDash:Engines:1:Name=gone", "--DockerDash:Engines:1:Endpoint=unix:///nonexistent/secret-path/docker.sock");
        // One engine up and one down is "degraded": wait for both to be known (on a busy machine the rig's may not be up yet).
        await app.WaitForEngineAsync("gone", DockerDash.Engines.EngineStatus.Down);
        await app.WaitForEngineAsync("rig", DockerDash.Engines.EngineStatus.Up);
        using var http = new HttpClient { BaseAddress = app.Address };

        var body = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative));

        using var json = JsonDocument.Parse(body);
        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("secret-path", body, StringComparison.Ordinal);
        Assert.DoesNotContain("unix://", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("//evil.example")]
    public void Return_urls_with_control_characters_or_another_host_go_home(string returnUrl)
    {
        Assert.Equal("/", ReturnUrls.Safe(returnUrl));
    }
}
