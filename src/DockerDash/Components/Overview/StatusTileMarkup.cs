using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DockerDash.Overview;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Overview;

/// <summary>
/// A status tile's title and counts as one piece of HTML: the browser gets the same markup as from a component, but the
/// server keeps one string per tile instead of a component with a render tree of some sixty frames (a wall has dozens
/// of tiles, and walls are left open by the hundred; walls showing the same tiles share the strings). Nothing in it is
/// clickable, so nothing is lost by not being a component.
/// </summary>
public static class StatusTileMarkup
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>Tiles drawn lately: walls showing the same containers share one string per tile.</summary>
    private static readonly ConcurrentDictionary<(StatusTile Tile, int Updates), MarkupString> Drawn = new();

    private const int DrawnKept = 4096;

    /// <param name="updates">Containers of the tile whose tag names a newer image.</param>
    public static MarkupString Of(StatusTile tile, int updates)
    {
        if (Drawn.TryGetValue((tile, updates), out var drawn))
        {
            return drawn;
        }

        if (Drawn.Count >= DrawnKept)
        {
            Drawn.Clear();
        }

        return Drawn[(tile, updates)] = Draw(tile, updates);
    }

    private static MarkupString Draw(StatusTile tile, int updates)
    {
        var html = new StringBuilder(640);
        html.Append("<div class=\"tile-title\">").Append(Html.Encode(tile.Title));
        if (tile.Project is not null)
        {
            html.Append(" · ").Append(Html.Encode(tile.Engine));
        }

        html.Append("</div><div class=\"tile-counts\">");
        var counts = tile.Counts;
        Count(html, "running", "running", counts.Running);
        Count(html, "unhealthy", "unhealthy", counts.Unhealthy);
        Count(html, "restarting", "restarting", counts.Restarting);
        Count(html, "exited", "exited", counts.Exited);
        if (counts.Paused > 0)
        {
            Count(html, "paused", "paused", counts.Paused);
        }

        if (counts.Created > 0)
        {
            Count(html, "created", "created, never started", counts.Created);
        }

        if (updates > 0)
        {
            Count(html, "updates", "containers whose tag names a newer image", updates, updates == 1 ? "update" : "updates");
        }

        return new MarkupString(html.Append("</div>").ToString());
    }

    private static void Count(StringBuilder html, string what, string title, int count, string? label = null) =>
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"count count-{what}\" title=\"{title}\"><b data-testid=\"count-{what}\">{count}</b> {label ?? what}</span>");
}

/// <summary>How many of a tile's containers have an update available (what the last checks found).</summary>
public static class UpdateCounts
{
    public static int Of(Updates.ContainerUpdater updates, string engine, string? project) =>
        updates.List().Count(s => s.IsAvailable && s.Engine == engine && (project is null || s.Project == project));
}
