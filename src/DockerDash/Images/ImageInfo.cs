namespace DockerDash.Images;

/// <summary>One local image of an engine: a row of the images page.</summary>
public sealed record ImageInfo(string Engine, string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, long Size, DateTimeOffset Created, int Containers)
{
    public string ShortId => Id.StartsWith("sha256:", StringComparison.Ordinal) ? Id[7..Math.Min(Id.Length, 19)] : Id[..Math.Min(12, Id.Length)];

    /// <summary>No tag: left behind by a newer image of the same name, or a build's intermediate.</summary>
    public bool Dangling => Tags.Count == 0;
}

/// <summary>One layer of an image's history: what made it and how much it added.</summary>
public sealed record ImageLayer(string Id, DateTimeOffset Created, string CreatedBy, long Size, IReadOnlyList<string> Tags, string? Comment);

/// <summary>What an image is: its configuration and where it came from.</summary>
public sealed record ImageDetails(ImageInfo Image, string? Architecture, string? Os, string? Author, IReadOnlyList<string> Env, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> ExposedPorts, string? WorkingDir, string? User, string Json)
{
    /// <summary>The same image for a caller who may not see secrets.</summary>
    public ImageDetails WithoutSecrets() => this with
    {
        Env = Env.Select(Containers.SecretMasking.MaskVariable).ToList(),
        Entrypoint = Containers.SecretMasking.MaskArguments(Entrypoint),
        Cmd = Containers.SecretMasking.MaskArguments(Cmd),
        Labels = Containers.SecretMasking.MaskLabels(Labels),
        Json = Containers.SecretMasking.MaskDocument(System.Text.Json.Nodes.JsonNode.Parse(Json))?.ToJsonString(MaskedJson) ?? Json,
    };

    private static readonly System.Text.Json.JsonSerializerOptions MaskedJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>A search hit from the engine's index.</summary>
public sealed record ImageSearchHit(string Name, string? Description, long Stars, bool Official);

/// <summary>What a prune removed.</summary>
public sealed record PruneResult(int ImagesDeleted, long SpaceReclaimed);
