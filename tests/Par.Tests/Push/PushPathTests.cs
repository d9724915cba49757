using System.Net;
using System.Text.Json;
using Par.Tests.Infrastructure;

namespace Par.Tests.Push;

public sealed class When_a_valid_token_runs_an_action : IAsyncLifetime
{
    private PushStack _stack = null!;
    public async Task InitializeAsync() => _stack = await PushStack.StartAsync();
    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task The_executor_runs_it_and_the_gateway_answers_its_outputs()
    {
        var response = await _stack.RunAsync(_stack.Key.Token(EchoAction.Name), EchoAction.Name, new { hello = "world" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("world", body.RootElement.GetProperty("outputs").GetProperty("hello").GetString());
        Assert.Equal(1, _stack.Counter.Runs);
    }

    [Fact]
    public async Task A_failing_action_is_answered_200_with_its_error()
    {
        var response = await _stack.RunAsync(_stack.Key.Token(FailingAction.Name), FailingAction.Name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("failed", body.RootElement.GetProperty("status").GetString());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("TEST_FAILURE", error.GetProperty("code").GetString());
        Assert.Equal("test", error.GetProperty("details").GetProperty("why").GetString());
    }

    [Fact]
    public async Task Many_concurrent_requests_each_get_their_own_answer()
    {
        var calls = Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await _stack.RunAsync(_stack.Key.Token(EchoAction.Name), EchoAction.Name, new { i });
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("outputs").GetProperty("i").GetInt32();
        });

        var answers = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 50), answers);
        Assert.Equal(50, _stack.Counter.Runs);
    }
}

public sealed class When_the_request_itself_is_wrong : IAsyncLifetime
{
    private PushStack _stack = null!;
    public async Task InitializeAsync() => _stack = await PushStack.StartAsync(c => c with { MaxRequestBodyBytes = 1024 });
    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task An_oversized_body_is_refused_413_and_nothing_runs()
    {
        var response = await _stack.RunAsync(_stack.Key.Token(EchoAction.Name), EchoAction.Name, new { big = new string('x', 4096) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, _stack.Counter.Runs);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"inputs\":{}}")]
    [InlineData("{\"action\":\"test.echo\",\"inputs\":[1]}")]
    public async Task A_malformed_body_is_refused_400_naming_the_problem(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/actions/run") { Content = new StringContent(body) };
        request.Headers.Authorization = new("Bearer", _stack.Key.Token(EchoAction.Name));

        var response = await _stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("detail", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _stack.Counter.Runs);
    }

    [Fact]
    public async Task An_action_outside_the_allowlist_is_refused_403_saying_how_to_allow_it()
    {
        const string action = "com.datadoghq.kubernetes.core.deletePod";
        var response = await _stack.RunAsync(_stack.Key.Token(action), action);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("actionsAllowlist", text);
        Assert.Contains("ACTIONS_ALLOWLIST", text);
        Assert.Equal(0, _stack.Counter.Runs);
    }

    [Fact]
    public async Task An_action_other_than_the_tokens_is_refused_403()
    {
        var response = await _stack.RunAsync(_stack.Key.Token(EchoAction.Name), FailingAction.Name);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _stack.Counter.Runs);
    }
}

public sealed class When_a_browser_sends_a_preflight : IAsyncLifetime
{
    private PushStack _stack = null!;
    public async Task InitializeAsync() => _stack = await PushStack.StartAsync(withExecutor: false);
    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/actions/run");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await _stack.Client.SendAsync(request);
    }

    [Fact]
    public async Task An_allowed_origin_is_told_it_may_post_with_a_token()
    {
        var response = await PreflightAsync("https://app.example.test");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.test", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Contains("authorization", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_grant()
    {
        var response = await PreflightAsync("https://evil.example.test");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class When_no_executor_is_running
{
    [Fact]
    public async Task The_gateway_answers_504_at_the_deadline()
    {
        await using var stack = await PushStack.StartAsync(c => c with { HttpServerWriteTimeout = 2 }, withExecutor: false);

        var started = DateTime.UtcNow;
        var response = await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name);
        var waited = DateTime.UtcNow - started;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(waited.TotalSeconds, 1.9, 5);
    }
}

public sealed class When_the_broker_is_unreachable
{
    [Fact]
    public async Task The_gateway_answers_503_within_a_second_and_runs_nothing()
    {
        await using var stack = await PushStack.StartAsync(withExecutor: false, gatewayBrokerUrl: TestBroker.Unreachable);

        var started = DateTime.UtcNow;
        var response = await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name);
        var waited = DateTime.UtcNow - started;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(waited < TimeSpan.FromSeconds(1), $"answered after {waited.TotalMilliseconds} ms");
        Assert.Contains("broker", await response.Content.ReadAsStringAsync());
    }
}

public sealed class When_a_token_names_a_connection : IAsyncLifetime
{
    private PushStack _stack = null!;
    public async Task InitializeAsync() => _stack = await PushStack.StartAsync();
    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task The_connection_reaches_the_executor_with_the_command()
    {
        var connection = new { id = "conn-1", integration = "http", credentialsFile = "missing.json" };
        var response = await _stack.RunAsync(_stack.Key.Token(EchoAction.Name, connection), EchoAction.Name);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // The credentials file does not exist: the executor read the connection and refused it by name, running nothing.
        Assert.Equal("failed", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("CREDENTIALS_ERROR", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("missing.json", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, _stack.Counter.Runs);
    }
}

public sealed class When_replies_use_a_response_queue_instead_of_direct_reply_to
{
    [Fact]
    public async Task The_push_path_works_the_same()
    {
        await using var stack = await PushStack.StartAsync(c => c with { BrokerReplyMode = Par.Shared.Configuration.RunnerConfig.ResponseQueue });

        var response = await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name, new { via = "queue" });

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("queue", body.RootElement.GetProperty("outputs").GetProperty("via").GetString());
    }
}

public sealed class When_the_broker_goes_down_while_the_gateway_runs
{
    [Fact]
    public async Task Requests_get_503_within_a_second_and_succeed_again_once_it_is_back()
    {
        var broker = Par.Shared.Broker.BrokerAddress.Parse(TestBroker.Url);
        var address = (await System.Net.Dns.GetHostAddressesAsync(broker.Host)).First();
        await using var relay = new TcpForwarder(new System.Net.IPEndPoint(address, broker.Port));
        await using var stack = await PushStack.StartAsync(gatewayBrokerUrl: $"amqp://{broker.Username}:{broker.Password}@127.0.0.1:{relay.Port}/");
        await WaitUntilAsync(async () => (await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name)).StatusCode == HttpStatusCode.OK);

        relay.Cut();
        var cutAt = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            status = (await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name).WaitAsync(quick.Token)).StatusCode;
        } while (status != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow - cutAt < TimeSpan.FromSeconds(5));
        var noticedAfter = DateTime.UtcNow - cutAt;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(noticedAfter < TimeSpan.FromSeconds(1), $"503 only after {noticedAfter.TotalMilliseconds:F0} ms");

        relay.Restore();
        await WaitUntilAsync(async () => (await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name)).StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_request_in_flight_gets_503_at_once_not_504_at_its_deadline_and_the_next_one_after_recovery_succeeds()
    {
        var broker = Par.Shared.Broker.BrokerAddress.Parse(TestBroker.Url);
        var address = (await System.Net.Dns.GetHostAddressesAsync(broker.Host)).First();
        await using var relay = new TcpForwarder(new System.Net.IPEndPoint(address, broker.Port));
        await using var stack = await PushStack.StartAsync(gatewayBrokerUrl: $"amqp://{broker.Username}:{broker.Password}@127.0.0.1:{relay.Port}/");
        await WaitUntilAsync(async () => (await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name)).StatusCode == HttpStatusCode.OK);

        var started = stack.Counter.Runs;
        var inFlight = stack.RunAsync(stack.Key.Token(SleepAction.Name), SleepAction.Name, new { ms = 20_000 });
        await WaitUntilAsync(() => Task.FromResult(stack.Counter.Runs > started));
        relay.Cut();
        var cutAt = DateTime.UtcNow;
        var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(10));
        var answeredAfter = DateTime.UtcNow - cutAt;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("may or may not have run", await response.Content.ReadAsStringAsync());
        Assert.True(answeredAfter < TimeSpan.FromSeconds(2), $"503 only after {answeredAfter.TotalMilliseconds:F0} ms");

        relay.Restore();
        await WaitUntilAsync(async () => (await stack.RunAsync(stack.Key.Token(EchoAction.Name), EchoAction.Name)).StatusCode == HttpStatusCode.OK);
        var sleepy = await stack.RunAsync(stack.Key.Token(SleepAction.Name), SleepAction.Name, new { ms = 300 });
        Assert.Equal(HttpStatusCode.OK, sleepy.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(200);
        }
    }
}
