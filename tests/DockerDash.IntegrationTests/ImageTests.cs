using Docker.DotNet.Models;
using DockerDash.Jobs;
using DockerDash.Images;
using DockerDash.Operations;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Images against the real engine and the rig's registry; alone, as it prunes every dangling image (<see cref="AloneCollection"/>).</summary>
[Collection(AloneCollection.Name)]
public sealed class ImageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ImageService Images() => fixture.App.As<ImageService>();

    /// <summary>Commits a container that wrote <paramref name="kilobytes"/> of data as <paramref name="reference"/> (arranged directly on the engine).</summary>
    private async Task<string> CommitAsync(string reference, int kilobytes)
    {
        var id = await fixture.Engine.RunAsync("commit-src", ["sh", "-c", $"dd if=/dev/urandom of=/blob bs=1k count={kilobytes} 2>/dev/null"]);
        await fixture.Engine.Client.Containers.WaitContainerAsync(id);
        var (repository, tag) = ImageReference.SplitTag(reference);
        var committed = await fixture.Engine.Client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters { ContainerID = id, RepositoryName = repository, Tag = tag });
        await fixture.Engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
        return committed.ID;
    }

    [Fact]
    public async Task The_list_shows_tags_size_and_how_many_containers_use_an_image()
    {
        await fixture.Engine.RunSleeperAsync("image-user");

        var image = (await Images().ListAsync()).Single(i => i.Tags.Contains(TestRig.Image));

        Assert.Equal("rig", image.Engine);
        Assert.True(image.Size > 0);
        Assert.True(image.Containers >= 1);
        Assert.False(image.Dangling);
    }

    [Fact]
    public async Task Tagging_gives_a_second_name_and_history_lists_the_layers()
    {
        var reference = $"dockerdash-test/tagged-{TestRig.RunId}:v1";

        await Images().TagAsync("rig", TestRig.Image, reference);

        var details = await Images().InspectAsync("rig", reference);
        Assert.Contains(reference, details.Image.Tags);
        Assert.Contains(TestRig.Image, details.Image.Tags);
        var history = await Images().HistoryAsync("rig", reference);
        Assert.NotEmpty(history);
        Assert.All(history, layer => Assert.True(layer.Size >= 0));
        await Images().RemoveAsync("rig", reference, force: false, keepParents: false);
        Assert.DoesNotContain(reference, (await Images().InspectAsync("rig", TestRig.Image)).Image.Tags);
    }

    [Fact]
    public async Task A_malformed_tag_is_refused_before_the_engine_is_asked()
    {
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Images().TagAsync("rig", TestRig.Image, "Not A/Valid:Name"));

        Assert.Equal(OperationFailure.Invalid, error.Failure);
        Assert.Contains("not a valid image reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_an_image_a_container_uses_shows_the_engines_conflict_message()
    {
        var reference = $"dockerdash-test/in-use-{TestRig.RunId}:1";
        var image = await CommitAsync(reference, 4);
        var user = await fixture.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = reference, Cmd = ["true"], Labels = new Dictionary<string, string> { [TestRig.RunLabel] = TestRig.RunId } });
        fixture.Engine.Track(user.ID);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Images().RemoveAsync("rig", image, force: false, keepParents: false));

        Assert.Contains("is being used by", error.Message, StringComparison.Ordinal);
        Assert.Contains(user.ID[..12], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_removes_dangling_images_and_says_how_much_space_came_back()
    {
        var reference = $"dockerdash-test/dangle-{TestRig.RunId}:1";
        var first = await CommitAsync(reference, 512);
        await CommitAsync(reference, 8);
        Assert.Contains(await Images().ListAsync("rig"), i => i.Id == first && i.Dangling);

        var result = await Images().PruneDanglingAsync("rig");

        Assert.True(result.ImagesDeleted >= 1, $"{result.ImagesDeleted} images deleted");
        Assert.True(result.SpaceReclaimed >= 512 * 1024, $"{result.SpaceReclaimed} bytes reclaimed");
        Assert.DoesNotContain(await Images().ListAsync("rig"), i => i.Id == first);
    }

    [Fact]
    public async Task Search_without_a_route_to_the_index_says_so()
    {
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Images().SearchAsync("rig", "busybox"));

        Assert.StartsWith("The engine could not reach its image index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_from_the_registry_runs_in_the_background_with_layer_progress_and_can_be_pulled_again()
    {
        var reference = $"{TestRig.Registry}/dockerdash/pull-{TestRig.RunId}:1";
        await CommitAsync(reference, 64);
        await fixture.Engine.Client.Images.PushImageAsync(reference, new ImagePushParameters(), new AuthConfig(), new Progress<JSONMessage>());
        await fixture.Engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });

        var operation = Images().StartPull("rig", reference);
        await operation.Completion.WaitAsync(Patience);

        Assert.True(operation.State == JobState.Succeeded, operation.Outcome);
        Assert.Equal($"Pulled {reference}.", operation.Outcome);
        Assert.NotEmpty(operation.Layers);
        Assert.All(operation.Layers, layer => Assert.True(layer.Done, $"{layer.Id}: {layer.Status}"));
        Assert.Contains(await Images().ListAsync("rig"), i => i.Tags.Contains(reference));
        Assert.Contains(fixture.App.Get<JobRunner>().All, o => o.Id == operation.Id);
    }

    [Fact]
    public async Task A_pull_of_an_unknown_image_fails_with_the_engines_words()
    {
        var operation = Images().StartPull("rig", $"{TestRig.Registry}/dockerdash/unknown-{TestRig.RunId}:1");
        await operation.Completion.WaitAsync(Patience);

        Assert.Equal(JobState.Failed, operation.State);
        Assert.Contains("not found", operation.Outcome, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_malformed_reference_is_refused_before_any_pull_starts()
    {
        var before = fixture.App.Get<JobRunner>().All.Count;

        var error = Assert.Throws<OperationFailedException>(() => Images().StartPull("rig", "UPPER/Case Name"));

        Assert.Equal(OperationFailure.Invalid, error.Failure);
        Assert.Equal(before, fixture.App.Get<JobRunner>().All.Count);
    }
}

/// <summary>Builds against the real engine: args, history, a failing step, cancel, an uploaded context.</summary>
public sealed class ImageBuildTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ImageService Images() => fixture.App.As<ImageService>();

    [Fact]
    public async Task A_dockerfile_with_a_build_arg_builds_and_its_history_shows_the_steps()
    {
        var tag = $"dockerdash-test/built-{TestRig.RunId}:1";
        var dockerfile = $"FROM {TestRig.Image}\nARG GREETING=unset\nRUN echo \"$GREETING\" > /greeting\nCMD [\"cat\", \"/greeting\"]\n";

        var build = Images().StartBuild("rig", dockerfile, new BuildRequest([tag], new Dictionary<string, string> { ["GREETING"] = "hello-from-arg" }, NoCache: true));
        await build.Completion.WaitAsync(Patience);

        Assert.True(build.State == JobState.Succeeded, build.Outcome + "\n" + string.Join('\n', build.Lines));
        Assert.Contains(build.Lines, l => l.StartsWith("Step 3/4 : RUN echo", StringComparison.Ordinal));
        var history = await Images().HistoryAsync("rig", tag);
        Assert.Contains(history, l => l.CreatedBy.Contains("echo \"$GREETING\" > /greeting", StringComparison.Ordinal));
        Assert.Contains(history, l => l.CreatedBy.Contains("GREETING=hello-from-arg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_step_is_shown_with_its_error()
    {
        var build = Images().StartBuild("rig", $"FROM {TestRig.Image}\nRUN echo about to fail && exit 7\n", new BuildRequest([], new Dictionary<string, string>()));
        await build.Completion.WaitAsync(Patience);

        Assert.Equal(JobState.Failed, build.State);
        Assert.Contains("returned a non-zero code: 7", build.Outcome, StringComparison.Ordinal);
        Assert.Contains(build.Lines, l => l.Contains("about to fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_running_build_stops_it()
    {
        var tag = $"dockerdash-test/cancelled-{TestRig.RunId}:1";
        var build = Images().StartBuild("rig", $"FROM {TestRig.Image}\nRUN echo started-sleeping && sleep 120\n", new BuildRequest([tag], new Dictionary<string, string>(), NoCache: true));
        await Eventually.GetAsync(() => Task.FromResult(build.Lines), lines => lines.Any(l => l.Contains("started-sleeping", StringComparison.Ordinal)), Patience, "the build to reach its sleep");

        Images().Cancel(build);
        await build.Completion.WaitAsync(Patience);

        Assert.Equal(JobState.Cancelled, build.State);
        Assert.DoesNotContain(await Images().ListAsync("rig"), i => i.Tags.Contains(tag));
    }

    [Fact]
    public async Task An_uploaded_context_with_a_build_arg_and_a_target_builds_through_the_endpoint()
    {
        var tag = $"dockerdash-test/uploaded-{TestRig.RunId}:1";
        var context = new MemoryStream();
        await using (var writer = new System.Formats.Tar.TarWriter(context, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "build/Containerfile")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"FROM {TestRig.Image} AS base\nCOPY data.txt /data.txt\nFROM base AS final\nARG WHO\nRUN echo $WHO >> /data.txt\n")),
            });
            await writer.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "data.txt") { DataStream = new MemoryStream("from the context\n"u8.ToArray()) });
        }

        context.Position = 0;
        using var http = new HttpClient { BaseAddress = fixture.App.Address, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await fixture.TokenAsync(DockerDash.Security.DashboardRole.Admin));
        using var response = await http.PostAsync(new Uri($"/images/rig/build?tag={Uri.EscapeDataString(tag)}&buildarg=WHO%3Dtests&target=final&dockerfile=build/Containerfile", UriKind.Relative), new StreamContent(context));

        var report = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, report);
        Assert.Contains($"Built {tag}.", report, StringComparison.Ordinal);
        Assert.Contains(await Images().HistoryAsync("rig", tag), l => l.CreatedBy.Contains("WHO=tests", StringComparison.Ordinal));
    }
}
