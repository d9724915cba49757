using System.Text.Json;

namespace Par.Shared.Contracts;

/// <summary>Who asked for an action: a browser through the gateway, or a workflow task through the poller.</summary>
public enum ActionOrigin
{
    Push,
    Pull,
}

/// <summary>
/// Names a connection and the local credentials file it uses. <see cref="CredentialsFile"/> is relative to the runner's
/// credentials folder; the executor refuses any path that leaves it.
/// The optional HTTP fields let a connection pin a base URL and add headers or URL parameters; their values may name
/// tokens of a Token Auth file as <c>{{ tokenName }}</c>.
/// </summary>
public sealed record ConnectionRef
{
    public required string Id { get; init; }
    public required string Integration { get; init; }
    public string? CredentialsFile { get; init; }
    public string? BaseUrl { get; init; }
    public IReadOnlyList<HeaderValue>? Headers { get; init; }
    public IReadOnlyDictionary<string, string>? UrlParams { get; init; }
}

public sealed record HeaderValue(string Key, IReadOnlyList<string> Value);

/// <summary>
/// The one normalized command both origins send: an action runs the same way whoever asked for it.
/// </summary>
public sealed record RunAction
{
    public required Guid Id { get; init; }
    public required ActionOrigin Origin { get; init; }
    public required string ActionFqn { get; init; }
    public ConnectionRef? Connection { get; init; }
    public required JsonElement Inputs { get; init; }
    /// <summary>After this instant nobody waits for the result: the executor does not start the action.</summary>
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>Pull tasks only: what the poller needs to report the result, even a poller restarted since.</summary>
    public PullTaskRef? Task { get; init; }
}

/// <summary>The control plane's ids of a pull task, carried through the executor back to the poller.</summary>
public sealed record PullTaskRef(string TaskId, string JobId);
