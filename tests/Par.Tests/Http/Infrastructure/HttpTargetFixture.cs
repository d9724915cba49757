using System.Text.Json;
using Par.Executor.Actions;
using Par.Executor.Actions.Http;
using Par.Executor.Credentials;
using Par.Shared.Contracts;

namespace Par.Tests.Http.Infrastructure;

/// <summary>One test target for all HTTP action tests: starting Kestrel and making certificates takes a moment.</summary>
public sealed class HttpTargetFixture : IAsyncLifetime
{
    public TestTarget Target { get; private set; } = null!;

    public async Task InitializeAsync() => Target = await TestTarget.StartAsync();

    public async Task DisposeAsync() => await Target.DisposeAsync();

    /// <summary>Options that reach only the test target: test DNS, no proxy from the environment, the test CA trusted.</summary>
    public HttpActionOptions Options => new()
    {
        Proxy = null,
        ResolveHost = TestDns.Resolve,
        TrustedRootCertificates = [Target.Certificates.Authority],
        HttpTimeoutSeconds = 10,
    };
}

[CollectionDefinition(Name)]
public sealed class HttpTargetCollection : ICollectionFixture<HttpTargetFixture>
{
    public const string Name = "http target";
}

public static class Act
{
    public static JsonElement Inputs(object inputs) => JsonSerializer.SerializeToElement(inputs);

    public static async Task<JsonElement> RunAsync(HttpActionOptions options, object inputs, ConnectionRef? connection = null,
        Credential? credential = null)
    {
        using var action = new HttpRequestAction(options);
        return await action.RunAsync(new ActionContext(Inputs(inputs), connection, credential), CancellationToken.None);
    }

    public static async Task<ActionFailedException> FailsAsync(HttpActionOptions options, object inputs, ConnectionRef? connection = null,
        Credential? credential = null) =>
        await Assert.ThrowsAsync<ActionFailedException>(() => RunAsync(options, inputs, connection, credential));

    /// <summary>The body of an /echo answer.</summary>
    public static JsonElement Echo(JsonElement output) => output.GetProperty("body");

    public static string? Header(JsonElement echo, string name) =>
        echo.GetProperty("headers").TryGetProperty(name, out var value) ? value.GetString() : null;
}
