using DockerDash.Components.Logs;

namespace DockerDash.Tests.Components.Logs;

public class JsonIndenterTests
{
    [Fact]
    public void Indenting_keeps_every_token_as_the_container_wrote_it()
    {
        var line = """{"time":"2026-11-27T14:00:00.123456789+00:00","msg":"caf\u00e9 <ok> & \"quoted\"","n":1.50,"ok":true,"none":null}""";

        var indented = JsonIndenter.Indented(line);

        Assert.Equal(
            """
            {
              "time": "2026-11-27T14:00:00.123456789+00:00",
              "msg": "caf\u00e9 <ok> & \"quoted\"",
              "n": 1.50,
              "ok": true,
              "none": null
            }
            """.ReplaceLineEndings("\n"),
            indented);
    }

    [Fact]
    public void Nested_and_empty_containers_are_indented_by_depth()
    {
        var indented = JsonIndenter.Indented("""[ {"a": [], "b": {}}, [1, [2]] ]""");

        Assert.Equal(
            """
            [
              {
                "a": [],
                "b": {}
              },
              [
                1,
                [
                  2
                ]
              ]
            ]
            """.ReplaceLineEndings("\n"),
            indented);
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("{not json")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("42")]
    [InlineData("")]
    public void Text_that_is_not_one_object_or_array_is_left_alone(string text) =>
        Assert.Null(JsonIndenter.Indented(text));
}
