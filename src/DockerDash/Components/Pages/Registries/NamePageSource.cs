using DockerDash.Operations;
using DockerDash.Registries;
using Microsoft.AspNetCore.Components.Web.Virtualization;

namespace DockerDash.Components.Pages.Registries;

/// <summary>
/// Feeds a virtualised list of names (repositories, tags) from pages the server filters and sorts: only
/// the rows in view are asked for. Keeps the total and the last refusal for the page to show.
/// </summary>
public sealed class NamePageSource(Func<int, int, CancellationToken, Task<NamePage>> read, Action changed)
{
    public int? Total { get; private set; }

    public string? Error { get; private set; }

    public async ValueTask<ItemsProviderResult<string>> ProvideAsync(ItemsProviderRequest request)
    {
        try
        {
            var page = await read(request.StartIndex, request.Count, request.CancellationToken);
            if (Total != page.Total || Error is not null)
            {
                (Total, Error) = (page.Total, null);
                changed();
            }

            return new ItemsProviderResult<string>(page.Names, page.Total);
        }
        catch (OperationFailedException e)
        {
            Error = e.Message;
            changed();
            return new ItemsProviderResult<string>([], 0);
        }
    }
}
