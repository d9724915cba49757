using System.Text;
using System.Text.Json;
using Par.Executor.Actions.Http;
using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_a_get_request_succeeds(HttpTargetFixture fixture)
{
    [Fact]
    public async Task It_returns_status_parsed_json_body_and_lower_cased_headers()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/json") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Equal("par", output.GetProperty("body").GetProperty("name").GetString());
        Assert.Equal(3, output.GetProperty("body").GetProperty("items").GetArrayLength());
        Assert.Equal("application/json", output.GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task A_lower_case_verb_is_accepted()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "get", url = fixture.Target.Http("/echo") });

        Assert.Equal("GET", Act.Echo(output).GetProperty("method").GetString());
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_each_verb_is_used(HttpTargetFixture fixture)
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public async Task The_target_receives_that_method(string verb)
    {
        var output = await Act.RunAsync(fixture.Options, new { verb, url = fixture.Target.Http("/echo") });

        Assert.Equal(verb, Act.Echo(output).GetProperty("method").GetString());
    }

    [Fact]
    public async Task Head_returns_the_status_and_an_empty_body()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "HEAD", url = fixture.Target.Http("/echo") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Equal("", output.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("GET", false)]
    [InlineData("head", false)]
    [InlineData("OPTIONS", false)]
    [InlineData("POST", true)]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("DELETE", true)]
    [InlineData(null, true)]
    public void Only_get_head_and_options_have_no_side_effects(string? verb, bool sideEffects)
    {
        using var action = new HttpRequestAction(fixture.Options);

        Assert.Equal(sideEffects, action.HasSideEffects(Act.Inputs(new { verb, url = "http://example.test/" })));
    }
}

public sealed class When_the_verb_or_url_is_invalid
{
    private static readonly HttpActionOptions Options = new() { Proxy = null, ResolveHost = TestDns.Resolve };

    [Theory]
    [InlineData(null)]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    [InlineData("")]
    public async Task A_bad_verb_is_refused_naming_the_input(string? verb)
    {
        var error = await Act.FailsAsync(Options, new { verb, url = "http://valid.test/" });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("'verb'", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://valid.test/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    public async Task A_non_http_url_is_refused_naming_the_input(string? url)
    {
        var error = await Act.FailsAsync(Options, new { verb = "GET", url });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("'url'", error.Message);
    }

    [Fact]
    public async Task A_url_with_a_password_is_refused_without_repeating_it()
    {
        var error = await Act.FailsAsync(Options, new { verb = "GET", url = "http://user:hunter2secret@valid.test/" });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.DoesNotContain("hunter2secret", error.Message);
    }

    [Fact]
    public async Task Inputs_that_are_not_an_object_are_refused()
    {
        using var action = new HttpRequestAction(Options);
        var error = await Assert.ThrowsAsync<Par.Executor.Actions.ActionFailedException>(() =>
            action.RunAsync(new Par.Executor.Actions.ActionContext(Act.Inputs("GET"), null, null), CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
    }

    [Fact]
    public async Task A_non_boolean_followRedirect_is_refused()
    {
        var error = await Act.FailsAsync(Options, new { verb = "GET", url = "http://valid.test/", followRedirect = "yes" });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("followRedirect", error.Message);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_a_body_is_sent(HttpTargetFixture fixture)
{
    [Fact]
    public async Task A_string_body_is_sent_as_is_as_utf8_text()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "POST", url = fixture.Target.Http("/echo"), body = "héllo=1&x" });

        var echo = Act.Echo(output);
        Assert.Equal("héllo=1&x", echo.GetProperty("body").GetString());
        Assert.Equal("text/plain; charset=utf-8", Act.Header(echo, "content-type"));
    }

    [Fact]
    public async Task A_json_value_body_is_sent_as_json()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "PUT", url = fixture.Target.Http("/echo"), body = new { a = 1, b = new[] { "x" } } });

        var echo = Act.Echo(output);
        Assert.Equal("""{"a":1,"b":["x"]}""", echo.GetProperty("body").GetString());
        Assert.Equal("application/json", Act.Header(echo, "content-type"));
    }

    [Fact]
    public async Task A_content_type_header_replaces_the_default_one()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "POST",
            url = fixture.Target.Http("/echo"),
            body = """{"raw":true}""",
            requestHeaders = new[] { new { key = "Content-Type", value = new[] { "application/json" } } },
        });

        var echo = Act.Echo(output);
        Assert.Equal("application/json", Act.Header(echo, "content-type"));
        Assert.Equal("""{"raw":true}""", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Body_and_form_data_together_are_refused()
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "POST",
            url = fixture.Target.Http("/echo"),
            body = "x",
            formData = new[] { new { key = "a", value = "b", type = "string" } },
        });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_form_data_is_sent(HttpTargetFixture fixture)
{
    [Fact]
    public async Task Strings_become_fields_and_data_uris_become_files()
    {
        var fileBytes = new byte[] { 0, 1, 2, 250, 255 };
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "POST",
            url = fixture.Target.Http("/echo"),
            formData = new object[]
            {
                new { key = "title", value = "report", type = "string" },
                new { key = "count", value = "3" },
                new { key = "upload", value = "data:image/png;name=pixel.png;base64," + Convert.ToBase64String(fileBytes), type = "datauri" },
                new { key = "note", value = "data:text/plain;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("hi")), type = "datauri" },
            },
        });

        var echo = Act.Echo(output);
        Assert.StartsWith("multipart/form-data; boundary=", Act.Header(echo, "content-type"));
        Assert.Equal("report", echo.GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal("3", echo.GetProperty("fields").GetProperty("count").GetString());
        var files = echo.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal("upload", files[0].GetProperty("name").GetString());
        Assert.Equal("pixel.png", files[0].GetProperty("fileName").GetString());
        Assert.Equal("image/png", files[0].GetProperty("contentType").GetString());
        Assert.Equal(fileBytes, Convert.FromBase64String(files[0].GetProperty("base64").GetString()!));
        Assert.Equal("note", files[1].GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task A_callers_multipart_content_type_does_not_lose_the_boundary()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "POST",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new[] { new { key = "content-type", value = new[] { "multipart/form-data" } } },
            formData = new[] { new { key = "a", value = "b", type = "string" } },
        });

        Assert.Equal("b", Act.Echo(output).GetProperty("fields").GetProperty("a").GetString());
    }

    [Theory]
    [InlineData("datauri", "not a data uri")]
    [InlineData("datauri", "data:text/plain;base64,@@@")]
    [InlineData("file", "x")]
    public async Task A_bad_entry_is_refused_naming_its_key(string type, string value)
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "POST",
            url = fixture.Target.Http("/echo"),
            formData = new[] { new { key = "upload", value, type } },
        });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("'upload'", error.Message);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_request_headers_are_given(HttpTargetFixture fixture)
{
    [Fact]
    public async Task They_reach_the_target_with_all_their_values()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new object[]
            {
                new { key = "X-Team", value = new[] { "payments" } },
                new { key = "Accept-Language", value = new[] { "fr", "en" } },
                new { key = "X-Single", value = "plain string" },
            },
        });

        var echo = Act.Echo(output);
        Assert.Equal("payments", Act.Header(echo, "x-team"));
        Assert.Equal("fr,en", Act.Header(echo, "accept-language")!.Replace(" ", ""));
        Assert.Equal("plain string", Act.Header(echo, "x-single"));
    }

    [Fact]
    public async Task A_default_user_agent_is_sent_unless_one_is_given()
    {
        var url = fixture.Target.Http("/echo");
        var plain = await Act.RunAsync(fixture.Options, new { verb = "GET", url });
        var custom = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url,
            requestHeaders = new[] { new { key = "User-Agent", value = new[] { "my-bot/2" } } },
        });

        Assert.Equal("private-action-runner", Act.Header(Act.Echo(plain), "user-agent"));
        Assert.Equal("my-bot/2", Act.Header(Act.Echo(custom), "user-agent"));
    }

    [Theory]
    [InlineData("Content-Length")]
    [InlineData("content-length")]
    [InlineData("Host")]
    [InlineData("HOST")]
    [InlineData("X-Forwarded-For")]
    [InlineData("x-forwarded-proto")]
    [InlineData("X-Forwarded-Host")]
    [InlineData("Forwarded")]
    public async Task A_denied_header_is_refused_naming_it(string header)
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new[] { new { key = header, value = new[] { "1" } } },
        });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains($"'{header}'", error.Message);
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nInjected: yes")]
    [InlineData("Bad Name", "x")]
    [InlineData("Bad:Name", "x")]
    public async Task A_malformed_header_is_refused(string key, string value)
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new[] { new { key, value = new[] { value } } },
        });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_url_params_are_given(HttpTargetFixture fixture)
{
    [Fact]
    public async Task A_list_is_appended_to_the_query_and_escaped()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo?existing=1"),
            urlParams = new object[] { new { key = "q", value = "a b&c=d" }, new { key = "tag", value = new[] { "x", "y" } } },
        });

        var values = Act.Echo(output).GetProperty("queryValues");
        Assert.Equal("1", values.GetProperty("existing")[0].GetString());
        Assert.Equal("a b&c=d", values.GetProperty("q")[0].GetString());
        Assert.Equal(["x", "y"], values.GetProperty("tag").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task An_object_is_accepted_too()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            urlParams = new { page = 2, sort = "name" },
        });

        var values = Act.Echo(output).GetProperty("queryValues");
        Assert.Equal("2", values.GetProperty("page")[0].GetString());
        Assert.Equal("name", values.GetProperty("sort")[0].GetString());
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_response_is_parsed(HttpTargetFixture fixture)
{
    private async Task<JsonElement> Body(string path, object? responseParsing = null, string? responseEncoding = null) =>
        (await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http(path), responseParsing, responseEncoding }))
            .GetProperty("body");

    [Fact]
    public async Task Auto_parses_json_content_types_including_plus_json()
    {
        var body = await Body("/json?type=application/problem%2Bjson&body=%7B%22title%22%3A%22x%22%7D");

        Assert.Equal("x", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Auto_returns_invalid_json_as_text()
    {
        var body = await Body("/json?body=not-json");

        Assert.Equal("not-json", body.GetString());
    }

    [Fact]
    public async Task Auto_returns_other_content_types_as_text()
    {
        var body = await Body("/json?type=text/plain&body=%7B%7D");

        Assert.Equal("{}", body.GetString());
    }

    [Fact]
    public async Task Json_parses_whatever_the_content_type()
    {
        var body = await Body("/json?type=text/plain&body=%5B1%2C2%5D", "json");

        Assert.Equal(2, body.GetArrayLength());
    }

    [Fact]
    public async Task Json_fails_on_a_body_that_is_not_json()
    {
        var error = await Assert.ThrowsAsync<Par.Executor.Actions.ActionFailedException>(() => Body("/json?body=nope", "json"));

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public async Task Json_gives_null_for_an_empty_body()
    {
        var body = await Body("/json?body=", "json");

        Assert.Equal(JsonValueKind.Null, body.ValueKind);
    }

    [Fact]
    public async Task Auto_gives_an_empty_string_for_an_empty_json_body()
    {
        var body = await Body("/json?body=");

        Assert.Equal("", body.GetString());
    }

    [Fact]
    public async Task Auto_returns_json_nested_too_deep_to_read_again_as_text()
    {
        var deep = new string('[', 100) + new string(']', 100);

        var body = await Body("/json?body=" + Uri.EscapeDataString(deep));

        Assert.Equal(deep, body.GetString());
    }

    [Fact]
    public async Task A_compressed_body_is_decompressed_and_the_cap_applies_to_what_is_decompressed()
    {
        var body = await Body("/gzip");
        var capped = await Act.FailsAsync(fixture.Options with { MaxOutputBytes = 1000 }, new { verb = "GET", url = fixture.Target.Http("/gzip") });

        Assert.True(body.GetProperty("compressed").GetBoolean());
        Assert.Equal(ErrorCodes.OutputTooLarge, capped.Code);
    }

    [Fact]
    public async Task Text_keeps_json_as_a_string()
    {
        var body = await Body("/json", "text");

        Assert.Equal(JsonValueKind.String, body.ValueKind);
        Assert.Contains("\"name\":\"par\"", body.GetString());
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("raw")]
    public async Task Base64_returns_the_exact_bytes(string parsing)
    {
        var body = await Body("/binary", parsing);

        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i), Convert.FromBase64String(body.GetString()!));
    }

    [Fact]
    public async Task The_response_charset_decodes_text()
    {
        var body = await Body("/latin1");

        Assert.Equal("café crème", body.GetString());
    }

    [Fact]
    public async Task ResponseEncoding_overrides_a_wrong_charset()
    {
        var body = await Body("/latin1", responseEncoding: "utf-8");

        Assert.Contains('\uFFFD', body.GetString()!);
    }

    [Fact]
    public async Task ResponseEncoding_accepts_legacy_code_pages()
    {
        var body = await Body("/latin1", responseEncoding: "windows-1252");

        Assert.Equal("café crème", body.GetString());
    }

    [Theory]
    [InlineData("responseParsing", "xml")]
    [InlineData("responseEncoding", "no-such-charset")]
    public async Task Unknown_values_are_refused(string input, string value)
    {
        var inputs = new Dictionary<string, object> { ["verb"] = "GET", ["url"] = fixture.Target.Http("/json"), [input] = value };
        var error = await Act.FailsAsync(fixture.Options, inputs);

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains(input, error.Message);
    }

    [Fact]
    public async Task Repeated_headers_are_joined_and_set_cookie_is_a_list()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/headers") });

        var headers = output.GetProperty("headers");
        Assert.Equal("one, two", headers.GetProperty("x-multi").GetString());
        Assert.Equal(["a=1; Path=/", "b=2; Path=/"], headers.GetProperty("set-cookie").EnumerateArray().Select(c => c.GetString()));
    }
}
