using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>
/// <c>com.datadoghq.http.request</c>: one HTTP call to a host the runner may reach (see docs/actions/http.md).
/// One instance serves every call; its connection pools are shared, which is what makes thousands of calls per
/// second possible.
/// </summary>
public sealed class HttpRequestAction : IAction, IDisposable
{
    public const string Name = "com.datadoghq.http.request";
    public const int MaxRedirects = 10;
    // CancelAfter accepts at most about 49 days.
    private const int MaxTimeoutSeconds = 30 * 24 * 3600;

    private readonly HttpActionOptions _options;
    private readonly DestinationGuard _guard;
    private readonly HttpClients _clients;

    public HttpRequestAction(HttpActionOptions options)
    {
        _options = options;
        _guard = new DestinationGuard(options);
        _clients = new HttpClients(options, _guard);
    }

    public string Fqn => Name;

    public bool HasSideEffects(JsonElement inputs) => !HttpRequestInputs.IsSafeVerb(inputs);

    public async Task<JsonElement> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var inputs = HttpRequestInputs.Parse(context.Inputs);
        var credential = context.Connection is null ? null : context.Credential;
        var redactor = SecretRedactor.For(credential);
        try
        {
            var connection = ConnectionSettings.Resolve(context.Connection, credential);
            connection?.CheckOnBaseUrl(inputs.Url, context.Connection!.Id);
            using var request = OutgoingRequest.Create(inputs, connection);
            return await SendAndReadAsync(request, inputs, redactor, cancellationToken);
        }
        catch (ActionFailedException e)
        {
            throw redactor.Apply(e);
        }
    }

    private async Task<JsonElement> SendAndReadAsync(OutgoingRequest request, HttpRequestInputs inputs, SecretRedactor redactor,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.HttpTimeoutSeconds > 0)
            deadline.CancelAfter(TimeSpan.FromSeconds(Math.Min(_options.HttpTimeoutSeconds, MaxTimeoutSeconds)));
        var uri = request.Uri;
        try
        {
            using var response = await SendFollowingRedirectsAsync(request, inputs, hop => uri = hop, deadline.Token);
            return await ResponseOutput.ReadAsync(response, inputs, _options.MaxOutputBytes, redactor, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailures.Timeout(uri, _options.HttpTimeoutSeconds);
        }
        catch (HttpRequestException e)
        {
            throw HttpFailures.From(e, uri);
        }
        catch (IOException e)
        {
            throw HttpFailures.From(e, uri);
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(OutgoingRequest first, HttpRequestInputs inputs,
        Action<Uri> onHop, CancellationToken cancellationToken)
    {
        var client = _clients.For(inputs.AllowExpiredCertificate);
        var request = first;
        for (var hop = 0; ; hop++)
        {
            onHop(request.Uri);
            await _guard.CheckBeforeSendAsync(request.Uri, cancellationToken);
            // The message is not disposed: that would dispose the content a 307/308 hop sends again.
            var response = await client.SendAsync(request.ToMessage(), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!inputs.FollowRedirect || !OutgoingRequest.IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            if (hop == MaxRedirects)
                throw new ActionFailedException(ErrorCodes.HttpError, $"stopped after {MaxRedirects} redirects (last at {request.Uri.IdnHost})");
            var target = location.IsAbsoluteUri ? location : new Uri(request.Uri, location);
            if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
                throw new ActionFailedException(ErrorCodes.HttpError, $"{request.Uri.IdnHost} redirected to a non-http(s) URL");
            request = request.RedirectedTo(target, response.StatusCode);
        }
    }

    public void Dispose() => _clients.Dispose();
}
