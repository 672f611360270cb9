using DockerDash.Containers;
using DockerDash.Containers.Create;
using DockerDash.Engines;
using DockerDash.Operations;
using Microsoft.AspNetCore.Components;

namespace DockerDash.Components.Pages.Containers;

/// <summary>The create-container form: checked as it is typed, with the equivalent <c>docker run</c> beside it.</summary>
public sealed partial class CreateContainerPage
{
    private ContainerCreateForm _form = new();

    /// <summary>The container being duplicated or edited (<c>?from=engine/id</c>): what the form has no field for is kept from it.</summary>
    private Docker.DotNet.Models.ContainerInspectResponse? _source;

    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    private List<string> _engines = [];
    private IReadOnlyList<string> _images = [];
    private string? _imagesNote;
    private bool _attempted;
    private bool _creating;
    private string? _createError;
    private string? _missingImage;

    [Inject] private ContainerService Containers { get; set; } = default!;

    [Inject] private EngineDirectory Engines { get; set; } = default!;

    [Inject] private CallerPermissions Permissions { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private DockerDash.Images.ImageService Images { get; set; } = default!;

    private ContainerCreatePlan Plan => ContainerCreatePlan.From(_form);

    protected override async Task OnInitializedAsync()
    {
        var allowed = Engines.States.Where(s => Permissions.Can(EngineOperations.ContainerCreate, s.Name)).ToList();
        _engines = allowed.Select(s => s.Name).ToList();
        if (From?.Split('/', 2) is [var engine, var id] && engine.Length > 0 && id.Length > 0)
        {
            try
            {
                _source = await Containers.DuplicateSourceAsync(new ContainerKey(engine, id));
                _form = ContainerDuplicate.FormOf(engine, _source);
                await OnEngineChanged(engine);
                return;
            }
            catch (OperationFailedException e)
            {
                _createError = $"Cannot duplicate that container: {e.Message}";
            }
        }

        var first = allowed.FirstOrDefault(s => s.IsUp) ?? allowed.FirstOrDefault();
        if (first is not null)
        {
            await OnEngineChanged(first.Name);
        }
    }

    private async Task OnEngineChanged(string engine)
    {
        _form.Engine = engine;
        try
        {
            _images = await Containers.ListImageTagsAsync(engine);
            _imagesNote = _images.Count == 0 ? $"Engine {engine} has no tagged images." : $"{_images.Count} local images: pick one with the arrow, or type any reference.";
        }
        catch (OperationFailedException e)
        {
            _images = [];
            _imagesNote = $"Cannot list images: {e.Message}";
        }
    }

    /// <summary>A field's error (from the plan checked once per render) shows once something was typed in it, or after a create was tried.</summary>
    private string? ShownError(ContainerCreatePlan plan, string field)
    {
        var error = plan.ErrorFor(field);
        var typed = typeof(ContainerCreateForm).GetProperty(field)?.GetValue(_form) is string { Length: > 0 };
        return error is not null && (_attempted || typed) ? error : null;
    }

    private async Task CreateAsync()
    {
        _attempted = true;
        _createError = null;
        _missingImage = null;
        var plan = Plan;
        if (!plan.IsValid)
        {
            _createError = "Correct the fields marked in red first.";
            return;
        }

        _creating = true;
        try
        {
            var key = _source is { } source ? await Containers.CreateCopyAsync(plan, source) : await Containers.CreateAsync(plan);
            Navigation.NavigateTo($"/containers/{Uri.EscapeDataString(key.Engine)}/{key.Id}");
        }
        catch (OperationFailedException e)
        {
            _createError = e.Message;
            if (e.Failure == OperationFailure.NotFound && e.Message.Contains("No such image", StringComparison.OrdinalIgnoreCase))
            {
                _missingImage = plan.Parameters.Image;
                _createError = $"Engine {_form.Engine} does not have the image {_missingImage}.";
            }
        }
        finally
        {
            _creating = false;
        }
    }

    /// <summary>The image was missing: pull it (a job in the jobs panel, with its progress), then create as asked.</summary>
    private async Task PullAndCreateAsync()
    {
        var image = _missingImage!;
        _creating = true;
        _createError = null;
        try
        {
            var pull = Images.StartPull(_form.Engine, image);
            await pull.Completion;
            if (pull.State != DockerDash.Jobs.JobState.Succeeded)
            {
                _createError = $"Pulling {image} did not succeed: {pull.Outcome}";
                return;
            }
        }
        catch (OperationFailedException e)
        {
            _createError = e.Message;
            return;
        }
        finally
        {
            _creating = false;
        }

        await CreateAsync();
    }
}
