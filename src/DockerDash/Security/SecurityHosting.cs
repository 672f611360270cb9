using System.Threading.RateLimiting;
using DockerDash.Operations;
using DockerDash.Security.Accounts;
using DockerDash.Security.Audit;
using DockerDash.Data;
using DockerDash.Security.Hardening;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using DockerDash.Callers;

namespace DockerDash.Security;

/// <summary>Wires accounts, tokens, the audit log and the hardening middleware.</summary>
public static class SecurityHosting
{
    /// <summary>Cookie for pages, bearer token for scripts: chosen per request by the Authorization header.</summary>
    public const string DefaultScheme = "DockerDash";

    public const string LoginRateLimit = "login";

    public const string KioskRateLimit = "kiosk";

    /// <summary>The admin pages' policy: Admin on every engine (<c>*</c>). Showing only: the services ask the gate again.</summary>
    public const string AdminPagesPolicy = "admin-pages";

    public static WebApplicationBuilder AddDockerDashSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var security = configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.SectionName));
        services.Configure<OidcOptions>(configuration.GetSection(OidcOptions.SectionName));

        services.AddIdentityCore<DashboardUser>(o =>
            {
                o.Password = new PasswordOptions { RequiredLength = 10, RequireDigit = false, RequireLowercase = false, RequireUppercase = false, RequireNonAlphanumeric = false };
                o.Lockout = new LockoutOptions { MaxFailedAccessAttempts = 5, DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15), AllowedForNewUsers = true };
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            })
            .AddEntityFrameworkStores<DashboardDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<GrantClaimsFactory>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = DefaultScheme;
                o.DefaultChallengeScheme = DefaultScheme;
            })
            .AddPolicyScheme(DefaultScheme, "cookie or token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? TokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/denied";
                o.ExpireTimeSpan = security.IdleTimeout;
                o.SlidingExpiration = true;
                o.Cookie.Name = "dockerdash";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnValidatePrincipal = SessionValidator.OnValidatePrincipalAsync;
                o.Events.OnRedirectToLogin = context => Challenge(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            }));
        services.AddAuthorization(o => o.AddPolicy(AdminPagesPolicy, p => p.RequireAssertion(c => c.User.RoleOn(DashboardClaims.AllScopes) >= DashboardRole.Admin)));
        services.AddOidcLogin(configuration);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = security.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
            o.AddPolicy(KioskRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.KioskAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named in the configuration: not even loopback is believed by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in security.KnownProxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        services.AddMemoryCache();
        services.AddSingleton<SetupState>();
        services.AddHostedService<AccountBootstrap>();
        services.AddSingleton<PersistedAudit>();
        services.AddSingleton<IOperationAudit>(sp => sp.GetRequiredService<PersistedAudit>());
        services.AddHostedService(sp => sp.GetRequiredService<PersistedAudit>());
        services.AddSingleton<TokenRevocations>();
        services.AddSingleton<SessionChanges>();
        services.AddSingleton<LiveTokenConnections>();
        services.AddSingleton<HubSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());
        services.AddSingleton<AccountAudit>();
        services.AddScoped<AccountService>();
        services.AddScoped<TokenService>();
        services.AddScoped<SessionValidator>();
        services.AddScoped<AuditService>();
        services.AddScoped<AuthenticationStateProvider, CircuitSessionRevalidator>();

        // Request lines carry query strings (the kiosk token): never log them.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    public static WebApplication UseDockerDashSecurity(this WebApplication app)
    {
        // With no proxy named, forwarded headers are not read at all (an empty list would make the middleware believe anyone).
        if (app.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>()?.KnownProxies is { Count: > 0 })
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<UrlTokenGuard>();
        app.UseMiddleware<OriginGuard>();
        app.UseAuthentication();
        app.UseMiddleware<CallerMiddleware>();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Pages get redirected to the login page; the hub and other endpoints get a plain status code.</summary>
    private static Task Challenge(HttpContext context, string redirectUri, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(redirectUri);
        }

        return Task.CompletedTask;
    }
}
