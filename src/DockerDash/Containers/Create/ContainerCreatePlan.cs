using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using DockerDash.Images;

namespace DockerDash.Containers.Create;

/// <summary>
/// A checked create-container form: either the engine request and the equivalent <c>docker run</c>
/// command, or a message for each field that is wrong. Nothing is sent while any field is wrong.
/// </summary>
public sealed partial class ContainerCreatePlan
{
    private readonly Dictionary<string, string> _errors = [];
    private readonly List<string> _run = ["docker", "run"];
    private readonly HostConfig _host = new();

    private ContainerCreatePlan(ContainerCreateForm form)
    {
        Form = form;
        Parameters = new CreateContainerParameters
        {
            Labels = new Dictionary<string, string>(),
            HostConfig = _host,
        };
        Build();
    }

    public ContainerCreateForm Form { get; }

    public CreateContainerParameters Parameters { get; }

    /// <summary>Field name (as in <see cref="ContainerCreateForm"/>) to what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    /// <summary>The <c>docker run</c> command that would create the same container.</summary>
    public string DockerRunCommand => string.Join(' ', _run.Select(CommandLineWords.Quote));

    public string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    public static ContainerCreatePlan From(ContainerCreateForm form) => new(form);

    /// <summary>Null when the engine would accept <paramref name="name"/> as a container name, else why not.</summary>
    public static string? NameProblem(string name) =>
        ContainerName().IsMatch(name) ? null : "A name starts with a letter or digit and has only letters, digits, '_', '.' and '-'.";

    [GeneratedRegex(@"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ContainerName();

    [GeneratedRegex(@"^(?:(?<ip>\[[0-9a-fA-F:.]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}):)?(?:(?<host>[0-9]{1,5}):)?(?<container>[0-9]{1,5})(?:/(?<proto>tcp|udp|sctp))?$")]
    private static partial Regex PortSpec();

    [GeneratedRegex(@"^(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[bkmgBKMG]?)[bB]?$")]
    private static partial Regex MemorySpec();

    private void Build()
    {
        if (!Form.StartAfterCreate)
        {
            _run[1] = "create";
        }
        else if (!Form.Tty)
        {
            _run.Add("-d");
        }

        Name();
        Tty();
        Env();
        Ports();
        Mounts();
        Restart();
        Labels();
        Limits();
        Network();
        UserAndDir();
        Entrypoint();
        ImageAndCommand();
    }

    private void Error(string field, string message) => _errors.TryAdd(field, message);

    private void Name()
    {
        var name = Form.Name.Trim();
        if (name.Length == 0)
        {
            return;
        }

        if (NameProblem(name) is { } problem)
        {
            Error(nameof(Form.Name), problem);
            return;
        }

        Parameters.Name = name.TrimStart('/');
        _run.AddRange(["--name", Parameters.Name]);
    }

    private void Tty()
    {
        if (Form.Tty)
        {
            Parameters.Tty = true;
            Parameters.OpenStdin = true;
            _run.Add("-it");
        }

        if (Form.AutoRemove)
        {
            _host.AutoRemove = true;
            _run.Add("--rm");
        }
    }

    private void Env()
    {
        var env = new List<string>();
        foreach (var (line, number) in Lines(Form.Environment))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || line[..equals].Any(char.IsWhiteSpace))
            {
                Error(nameof(Form.Environment), $"Line {number}: write KEY=value (got '{line}').");
                return;
            }

            env.Add(line);
            _run.AddRange(["-e", line]);
        }

        Parameters.Env = env;
    }

    private void Ports()
    {
        var exposed = new Dictionary<string, EmptyStruct>();
        var bindings = new Dictionary<string, IList<PortBinding>>();
        foreach (var (line, number) in Lines(Form.Ports))
        {
            var match = PortSpec().Match(line);
            if (!match.Success || !ValidPort(match.Groups["container"].Value) || (match.Groups["host"].Success && !ValidPort(match.Groups["host"].Value)))
            {
                Error(nameof(Form.Ports), $"Line {number}: write [ip:]hostPort:containerPort[/tcp|udp] with ports 1-65535 (got '{line}').");
                return;
            }

            var key = $"{match.Groups["container"].Value}/{(match.Groups["proto"].Success ? match.Groups["proto"].Value : "tcp")}";
            exposed[key] = default;
            if (!bindings.TryGetValue(key, out var list))
            {
                bindings[key] = list = [];
            }

            list.Add(new PortBinding
            {
                HostIP = match.Groups["ip"].Success ? match.Groups["ip"].Value.Trim('[', ']') : "",
                HostPort = match.Groups["host"].Success ? match.Groups["host"].Value : "",
            });
            _run.AddRange(["-p", line]);
        }

        Parameters.ExposedPorts = exposed;
        _host.PortBindings = bindings;
    }

    private static bool ValidPort(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;

    private void Mounts()
    {
        var mounts = new List<Mount>();
        foreach (var (line, number) in Lines(Form.Mounts))
        {
            var parts = line.Split(':');
            var readOnly = parts.Length == 3 && parts[2] == "ro";
            if (parts.Length is < 2 or > 3 || (parts.Length == 3 && parts[2] is not ("ro" or "rw")) || parts[0].Length == 0 || !parts[1].StartsWith('/'))
            {
                Error(nameof(Form.Mounts), $"Line {number}: write source:/path/in/container[:ro] (got '{line}').");
                return;
            }

            mounts.Add(new Mount { Type = parts[0].StartsWith('/') ? "bind" : "volume", Source = parts[0], Target = parts[1], ReadOnly = readOnly });
            _run.AddRange(["-v", line]);
        }

        _host.Mounts = mounts;
    }

    private void Restart()
    {
        var policy = Form.RestartPolicy.Trim();
        if (policy is "" or "no")
        {
            return;
        }

        var parts = policy.Split(':');
        var name = parts[0] switch
        {
            "always" => RestartPolicyKind.Always,
            "unless-stopped" => RestartPolicyKind.UnlessStopped,
            "on-failure" => RestartPolicyKind.OnFailure,
            _ => (RestartPolicyKind?)null,
        };
        long retries = 0;
        if (name is null || parts.Length > 2 || (parts.Length == 2 && (name != RestartPolicyKind.OnFailure || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out retries) || retries < 0)))
        {
            Error(nameof(Form.RestartPolicy), "Choose no, always, unless-stopped, on-failure or on-failure:N.");
            return;
        }

        if (Form.AutoRemove)
        {
            Error(nameof(Form.RestartPolicy), "Auto-remove and a restart policy exclude each other.");
            return;
        }

        _host.RestartPolicy = new RestartPolicy { Name = name.Value, MaximumRetryCount = retries };
        _run.AddRange(["--restart", policy]);
    }

    private void Labels()
    {
        foreach (var (line, number) in Lines(Form.Labels))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Error(nameof(Form.Labels), $"Line {number}: write key=value (got '{line}').");
                return;
            }

            Parameters.Labels[line[..equals].Trim()] = line[(equals + 1)..];
            _run.AddRange(["--label", line]);
        }
    }

    private void Limits()
    {
        if (Form.Memory.Trim() is { Length: > 0 } memory)
        {
            var match = MemorySpec().Match(memory);
            var multiplier = match.Success ? char.ToLowerInvariant(match.Groups["unit"].Value.FirstOrDefault('b')) switch
            {
                'k' => 1024L,
                'm' => 1024L * 1024,
                'g' => 1024L * 1024 * 1024,
                _ => 1L,
            } : 0;
            var bytes = match.Success ? (long)(double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture) * multiplier) : 0;
            if (bytes < 6 * 1024 * 1024)
            {
                Error(nameof(Form.Memory), "Write an amount like 256m or 1g; the engine needs at least 6m.");
            }
            else
            {
                _host.Memory = bytes;
                _run.AddRange(["--memory", memory]);
            }
        }

        if (Form.Cpus.Trim() is { Length: > 0 } cpus)
        {
            if (!double.TryParse(cpus, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 1024)
            {
                Error(nameof(Form.Cpus), "Write a number of CPUs like 0.5 or 2.");
            }
            else
            {
                _host.NanoCPUs = (long)(count * 1e9);
                _run.AddRange(["--cpus", cpus]);
            }
        }
    }

    private void Network()
    {
        var mode = Form.NetworkMode.Trim();
        if (mode.Length == 0)
        {
            return;
        }

        if (mode.Any(char.IsWhiteSpace))
        {
            Error(nameof(Form.NetworkMode), "A network name has no spaces.");
            return;
        }

        _host.NetworkMode = mode;
        _run.AddRange(["--network", mode]);
    }

    private void UserAndDir()
    {
        if (Form.User.Trim() is { Length: > 0 } user)
        {
            Parameters.User = user;
            _run.AddRange(["--user", user]);
        }

        if (Form.WorkingDir.Trim() is { Length: > 0 } dir)
        {
            if (!dir.StartsWith('/'))
            {
                Error(nameof(Form.WorkingDir), "The working directory is an absolute path, like /app.");
                return;
            }

            Parameters.WorkingDir = dir;
            _run.AddRange(["--workdir", dir]);
        }
    }

    private void Entrypoint()
    {
        if (Words(nameof(Form.Entrypoint), Form.Entrypoint, "entrypoint") is not { Count: > 0 } words)
        {
            return;
        }

        Parameters.Entrypoint = words;

        // docker run takes one word for --entrypoint; the rest goes before the command.
        _run.AddRange(["--entrypoint", words[0]]);
    }

    private void ImageAndCommand()
    {
        if (ImageReference.Problem(Form.Image.Trim()) is { } imageProblem)
        {
            Error(nameof(Form.Image), imageProblem);
        }

        if (string.IsNullOrWhiteSpace(Form.Engine))
        {
            Error(nameof(Form.Engine), "Choose the engine to create the container on.");
        }

        Parameters.Image = Form.Image.Trim();
        _run.Add(Parameters.Image);
        if (Parameters.Entrypoint is { Count: > 1 } entrypoint)
        {
            _run.AddRange(entrypoint.Skip(1));
        }

        if (Words(nameof(Form.Command), Form.Command, "command") is { Count: > 0 } words)
        {
            Parameters.Cmd = words;
            _run.AddRange(words);
        }
    }

    /// <summary>The words of a command-line field; null when it is empty or cannot be read (then the field has an error).</summary>
    private List<string>? Words(string field, string text, string what)
    {
        if (text.Trim().Length == 0)
        {
            return null;
        }

        if (!CommandLineWords.TrySplit(text, out var words, out var problem))
        {
            Error(field, $"The {what} cannot be read: {problem}.");
            return null;
        }

        return words;
    }

    private static IEnumerable<(string Line, int Number)> Lines(string text) =>
        text.Split('\n').Select((line, index) => (line.Trim(), index + 1)).Where(l => l.Item1.Length > 0);
}
