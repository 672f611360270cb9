using MudBlazor;

namespace DockerDash.Components;

/// <summary>Which dialog a management list page (volumes, networks) has open.</summary>
public enum ManageDialog
{
    None,
    Create,
    Prune,
}

/// <summary>The sizes the pages' dialogs come in.</summary>
public static class DialogPresets
{
    public static DialogOptions Small { get; } = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
}
