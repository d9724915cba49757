using System.Net;
using System.Net.Http.Json;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Poller;

/// <summary>
/// The runner's calls to its control plane (par-facts: dequeue, heartbeat, publish-task-update, health-check). Each
/// carries the runner's self-signed JWT, reused until close to expiry rather than minted per call.
/// </summary>
public sealed class ControlPlaneClient(HttpClient http, RunnerAuthToken auth)
{
    /// <summary>Per-call limit of the original runner; a long-poll adds its wait on top.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The next task, or null when there is none. <paramref name="waitMs"/> &gt; 0 asks the server to hold the call until one arrives.</summary>
    public async Task<TaskDocument?> DequeueAsync(int waitMs, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, TimeSpan.FromMilliseconds(waitMs));
        using var response = await SendAsync(HttpMethod.Post, PullPaths.Dequeue, new DequeueRequest { WaitMs = waitMs > 0 ? waitMs : null }, timeout.Token);
        await EnsureSuccessAsync(response, "dequeue", timeout.Token);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            return null;
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        return string.IsNullOrWhiteSpace(text) ? null : System.Text.Json.JsonSerializer.Deserialize<TaskDocument>(text, PullJson.Options);
    }

    /// <summary>False when the control plane no longer holds a lease for the task (it was re-queued or finished).</summary>
    public async Task<bool> HeartbeatAsync(string taskId, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, TimeSpan.Zero);
        using var response = await SendAsync(HttpMethod.Post, PullPaths.Heartbeat, HeartbeatRequest.For(taskId), timeout.Token);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            return false;
        await EnsureSuccessAsync(response, "heartbeat", timeout.Token);
        return true;
    }

    /// <summary>Reports a task's result. A 404 (task unknown, e.g. expired long ago) is final, not retried.</summary>
    public async Task<bool> PublishTaskUpdateAsync(TaskUpdateRequest update, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, TimeSpan.Zero);
        using var response = await SendAsync(HttpMethod.Post, PullPaths.PublishTaskUpdate, update, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, "publish-task-update", timeout.Token);
        return true;
    }

    public async Task HealthCheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, TimeSpan.Zero);
        using var response = await SendAsync(HttpMethod.Get, PullPaths.HealthCheck, null, timeout.Token);
        await EnsureSuccessAsync(response, "health-check", timeout.Token);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", auth.AuthorizationHeaderValue);
        if (body is not null)
            request.Content = JsonContent.Create(body, body.GetType(), options: PullJson.Options);
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static CancellationTokenSource Timeout(CancellationToken outer, TimeSpan extra)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        cts.CancelAfter(CallTimeout + extra);
        return cts;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new ControlPlaneException(operation, response.StatusCode, retryAfter, body);
    }
}
