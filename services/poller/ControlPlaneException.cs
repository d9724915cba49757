using System.Net;

namespace Par.Poller;

/// <summary>The control plane answered with an error status. <see cref="RetryAfter"/> is its own hint, when it gave one.</summary>
public sealed class ControlPlaneException(string operation, HttpStatusCode status, TimeSpan? retryAfter, string? body)
    : Exception($"Control plane {operation} answered {(int)status} {status}{(string.IsNullOrEmpty(body) ? "" : $": {Cut(body)}")}")
{
    public HttpStatusCode Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Worth retrying: the control plane is overloaded or briefly away, not refusing us.</summary>
    public bool IsTransient => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)Status >= 500;

    private static string Cut(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
