using System.Text.Json.Nodes;
using DockerDash.Containers;

namespace DockerDash.Tests.Containers;

public class SecretMaskingTests
{
    private const string M = SecretMasking.Mask;

    [Theory]
    [InlineData("server --password=hunter2 --port 80", "server --password=" + M + " --port 80")]
    [InlineData("server --token abc123 --verbose", "server --token " + M + " --verbose")]
    [InlineData("run --api-key='s3cr et' now", "run --api-key=" + M + " now")]
    [InlineData("DB_PASSWORD=hunter2 ./start.sh", "DB_PASSWORD=" + M + " ./start.sh")]
    [InlineData("curl -f http://admin:hunter2@localhost:8080/health", "curl -f http://admin:" + M + "@localhost:8080/health")]
    [InlineData("|2 NPM_TOKEN=abc VERSION=1.2 /bin/sh -c npm ci", "|2 NPM_TOKEN=" + M + " VERSION=" + M + " /bin/sh -c npm ci")]
    [InlineData("nginx -g daemon off;", "nginx -g daemon off;")]
    [InlineData("server --keep-alive --port 80", "server --keep-alive --port 80")]
    public void Secret_flag_values_urls_and_build_arguments_are_masked_in_command_lines(string command, string shown)
    {
        Assert.Equal(shown, SecretMasking.MaskCommand(command));
    }

    [Fact]
    public void A_lone_secret_flag_masks_the_word_after_it_in_an_argument_list()
    {
        Assert.Equal(["app", "--password", M, "--port", "80"], SecretMasking.MaskArguments(["app", "--password", "hunter2", "--port", "80"]));
    }

    [Fact]
    public void An_inspect_document_hides_environment_labels_commands_health_checks_and_log_options()
    {
        var document = JsonNode.Parse("""
            {
              "Path": "app", "Args": ["--token", "abc"],
              "Config": {
                "Env": ["DB_PASSWORD=hunter2", "MODE=prod"],
                "Cmd": ["app", "--token", "abc"],
                "Healthcheck": { "Test": ["CMD-SHELL", "redis-cli --pass hunter2 ping"] },
                "Labels": { "team": "core", "deploy.auth": "xyz" }
              },
              "HostConfig": { "LogConfig": { "Type": "splunk", "Config": { "splunk-token": "abc", "splunk-url": "https://splunk" } } }
            }
            """);

        var text = SecretMasking.MaskDocument(document)!.ToJsonString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", text, StringComparison.Ordinal);
        Assert.Contains("MODE=", text, StringComparison.Ordinal);
        Assert.Contains("https://splunk", text, StringComparison.Ordinal);
        Assert.Contains("core", text, StringComparison.Ordinal);
    }
}
