using DockerDash.Alerts;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DockerDash.Components.Pages.Alerts;

/// <summary>Firings (live, with acknowledge), the rules that make them and the webhooks they go to, with each webhook's delivery record.</summary>
public sealed partial class AlertsPage
{
    private readonly CancellationTokenSource _cancel = new();
    private StreamFollower? _firingsFeed;
    private List<AlertFiring> _firings = [];
    private IReadOnlyList<AlertRule> _rules = [];
    private IReadOnlyList<AlertWebhook> _webhooks = [];

    private IReadOnlyDictionary<int, WebhookStatus> _statuses = new Dictionary<int, WebhookStatus>();
    private AlertRule _rule = new();
    private AlertWebhook _webhook = new();
    private bool _canAcknowledge;
    private bool _canManage;
    private string? _error;

    [Inject] private AlertService Alerts { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _canAcknowledge = Permissions.CanManage(AppOperations.AlertAcknowledge);
        _canManage = Permissions.CanManage(AppOperations.AlertManage);
        await RunAsync(LoadAsync);
        _firingsFeed = StreamFollower.Start(ct => Alerts.ListenAsync(ct), Add, InvokeAsync, StateHasChanged);
    }

    /// <summary>A firing is being delivered: the webhooks' counters a moment later, from every replica's records.</summary>
    private async Task RefreshStatusesAsync()
    {
        try
        {
            await Task.Delay(StatusDelay, _cancel.Token);
            _statuses = await Alerts.StatusesAsync(_cancel.Token);
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception e) when (e is OperationCanceledException or OperationFailedException or ObjectDisposedException)
        {
            // The page closed, or the caller may no longer manage alerts: the counters stay as they were.
        }
    }

    private static readonly TimeSpan StatusDelay = TimeSpan.FromSeconds(2);

    private async Task LoadAsync()
    {
        _firings = [.. await Alerts.FiringsAsync(_cancel.Token)];
        _rules = await Alerts.RulesAsync(_cancel.Token);
        _webhooks = _canManage ? await Alerts.WebhooksAsync(_cancel.Token) : [];
        _statuses = _canManage ? await Alerts.StatusesAsync(_cancel.Token) : new Dictionary<int, WebhookStatus>();
    }

    /// <summary>A new firing on top; the list keeps <see cref="AlertService.FiringsShown"/>. (A caller who may not read alerts was told by the load.)</summary>
    private void Add(AlertFiring firing)
    {
        if (_canManage)
        {
            _ = RefreshStatusesAsync();
        }

        var known = _firings.FindIndex(f => f.Id == firing.Id);
        if (known >= 0)
        {
            // A repeat within the rule's cooldown: the same firing, counted again.
            _firings[known] = firing;
            return;
        }

        _firings.Insert(0, firing);
        if (_firings.Count > AlertService.FiringsShown)
        {
            _firings.RemoveRange(AlertService.FiringsShown, _firings.Count - AlertService.FiringsShown);
        }
    }

    private static string FormatName(WebhookFormat format) => format switch
    {
        WebhookFormat.Json => "JSON",
        WebhookFormat.Slack => "Slack-compatible",
        WebhookFormat.Ntfy => "ntfy",
        WebhookFormat.Email => "e-mail",
        _ => format.ToString(),
    };

    private static string Describe(AlertRule rule)
    {
        if (rule.Kind == AlertKind.EngineDown)
        {
            return $"when {(string.IsNullOrWhiteSpace(rule.Engine) ? "an engine" : $"engine {rule.Engine}")} is down for {rule.ForSeconds} s; again when it is back";
        }

        var what = rule.Kind switch
        {
            AlertKind.CpuAbove => $"uses more than {rule.ThresholdPercent:0.#} % CPU for {Formats.Duration(TimeSpan.FromSeconds(rule.ForSeconds))}; again when it drops",
            AlertKind.MemoryAbove => $"uses more than {rule.ThresholdPercent:0.#} % of its memory limit for {Formats.Duration(TimeSpan.FromSeconds(rule.ForSeconds))}; again when it drops",
            AlertKind.LogMatch => $"logs a line matching {rule.Pattern} (at most once in {rule.WindowMinutes} min)",
            AlertKind.Died => "dies with a non-zero exit code",
            AlertKind.OutOfMemory => "is killed by OOM",
            AlertKind.Unhealthy => "turns unhealthy",
            AlertKind.UpdateAvailable => "has an update available (its tag names a newer image)",
            _ => $"restarts more than {rule.RestartLimit} times in {rule.WindowMinutes} min",
        };
        var scope = new[] { Scope("engine", rule.Engine), Scope("project", rule.Project), Scope("name", rule.NamePattern) }.OfType<string>().ToList();
        return $"when a container {what}" + (scope.Count > 0 ? $" ({string.Join(", ", scope)})" : " (any container)");
    }

    private static string? Scope(string what, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{what} {value}";

    private void Edit(AlertRule rule) => _rule = new AlertRule
    {
        Id = rule.Id, Name = rule.Name, Kind = rule.Kind, Engine = rule.Engine, Project = rule.Project, NamePattern = rule.NamePattern,
        RestartLimit = rule.RestartLimit, WindowMinutes = rule.WindowMinutes, CooldownMinutes = rule.CooldownMinutes, Enabled = rule.Enabled,
        ForSeconds = rule.ForSeconds, ThresholdPercent = rule.ThresholdPercent, Pattern = rule.Pattern, MutedUntil = rule.MutedUntil,
    };

    /// <summary>Resource rules are edited in minutes (stored in seconds, as engine-down rules are).</summary>
    private double ForMinutes
    {
        get => Math.Round(_rule.ForSeconds / 60.0, 2);
        set => _rule.ForSeconds = (int)Math.Round(value * 60);
    }

    private Task SaveRuleAsync() => RunAsync(async () =>
    {
        await Alerts.SaveRuleAsync(_rule, _cancel.Token);
        Snackbar.Add($"Rule {_rule.Name} saved.", Severity.Success);
        _rule = new AlertRule();
        await LoadAsync();
    });

    private async Task DeleteRuleAsync(AlertRule rule)
    {
        if (await Dialogs.ConfirmRemoveAsync($"rule {rule.Name}", "It stops firing. Its past firings stay in the list."))
        {
            await RunAsync(async () =>
            {
                await Alerts.DeleteRuleAsync(rule.Id, _cancel.Token);
                await LoadAsync();
            });
        }
    }

    private Task SaveWebhookAsync() => RunAsync(async () =>
    {
        await Alerts.SaveWebhookAsync(_webhook, _cancel.Token);
        Snackbar.Add($"{_webhook.Name} added.", Severity.Success);
        _webhook = new AlertWebhook();
        await LoadAsync();
    });

    private Task MuteAsync(AlertRule rule, TimeSpan? duration) => RunAsync(async () =>
    {
        await Alerts.MuteRuleAsync(rule.Id, duration, _cancel.Token);
        await LoadAsync();
    });

    private Task TestWebhookAsync(AlertWebhook webhook) => RunAsync(async () =>
        Snackbar.Add(await Alerts.TestWebhookAsync(webhook.Id, _cancel.Token), Severity.Success));

    private async Task DeleteWebhookAsync(AlertWebhook webhook)
    {
        if (await Dialogs.ConfirmRemoveAsync($"webhook {webhook.Name}", $"Firings are no longer sent to {webhook.Url}."))
        {
            await RunAsync(async () =>
            {
                await Alerts.DeleteWebhookAsync(webhook.Id, _cancel.Token);
                await LoadAsync();
            });
        }
    }

    private Task AcknowledgeAsync(IReadOnlyCollection<long> ids) => RunAsync(async () =>
    {
        await Alerts.AcknowledgeAsync(ids, _cancel.Token);
        await LoadAsync();
    });

    /// <summary>Runs an action; a refusal or invalid input becomes the page's message, never an exception.</summary>
    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            _error = null;
            await action();
        }
        catch (OperationFailedException e)
        {
            _error = e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_firingsFeed is not null)
        {
            await _firingsFeed.DisposeAsync();
        }

        await _cancel.CancelAsync();
        _cancel.Dispose();
    }
}
