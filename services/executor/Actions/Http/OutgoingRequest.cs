using System.Net;

namespace Par.Executor.Actions.Http;

/// <summary>
/// One request as it will be sent, and how it changes when redirected. Each hop gets a fresh
/// <see cref="HttpRequestMessage"/> around the same content, which is disposed with this object.
/// </summary>
internal sealed class OutgoingRequest : IDisposable
{
    // Sent only to the origin they were meant for: a redirect to another host must not carry them along.
    private static readonly string[] OriginBoundHeaders = ["Authorization", "Proxy-Authorization", "Cookie"];

    private readonly IReadOnlyList<Header> _headers;
    private readonly HttpContent? _content;
    private readonly bool _isMultipart;

    private OutgoingRequest(HttpMethod method, Uri uri, IReadOnlyList<Header> headers, HttpContent? content, bool isMultipart)
    {
        Method = method;
        Uri = uri;
        _headers = headers;
        _content = content;
        _isMultipart = isMultipart;
    }

    public HttpMethod Method { get; }
    public Uri Uri { get; }

    public static OutgoingRequest Create(HttpRequestInputs inputs, ConnectionSettings? connection)
    {
        var overridden = new HashSet<string>(connection?.Headers.Select(h => h.Name) ?? [], StringComparer.OrdinalIgnoreCase);
        var headers = inputs.Headers
            .Where(h => !overridden.Contains(h.Name))
            .Select(h => new Header(h, OriginBound: OriginBoundHeaders.Contains(h.Name, StringComparer.OrdinalIgnoreCase)))
            .Concat(connection?.Headers.Select(h => new Header(h, OriginBound: true)) ?? [])
            .ToList();
        var uri = QueryString.With(inputs.Url, inputs.UrlParams, connection?.UrlParams ?? []);
        var content = RequestContent.Create(inputs);
        return new OutgoingRequest(inputs.Verb, uri, headers, content, inputs.FormData.Count > 0);
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Uri) { Content = _content };
        foreach (var (field, _) in _headers)
        {
            if (message.Headers.TryAddWithoutValidation(field.Name, field.Values))
                continue;
            // Content-Type and friends belong to the content; without a body there is nothing to describe. The
            // multipart Content-Type carries the boundary, so a caller's "multipart/form-data" must not replace it.
            if (_content is null || (_isMultipart && field.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
                continue;
            _content.Headers.Remove(field.Name);
            _content.Headers.TryAddWithoutValidation(field.Name, field.Values);
        }
        return message;
    }

    /// <summary>
    /// The next hop, as Go's net/http and browsers do it: 301/302/303 turn a non-GET/HEAD request into a body-less GET;
    /// 307/308 repeat method and body. Leaving the origin drops credentials and the connection's headers.
    /// </summary>
    public OutgoingRequest RedirectedTo(Uri target, HttpStatusCode status)
    {
        var becomesGet = status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            && Method != HttpMethod.Get && Method != HttpMethod.Head;
        var headers = SameOrigin(Uri, target) ? _headers : _headers.Where(h => !h.OriginBound).ToList();
        return becomesGet
            ? new OutgoingRequest(HttpMethod.Get, target, headers, null, false)
            : new OutgoingRequest(Method, target, headers, _content, _isMultipart);
    }

    public static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _content?.Dispose();

    private sealed record Header(HeaderField Field, bool OriginBound);
}
