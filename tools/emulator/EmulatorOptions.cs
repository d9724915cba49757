namespace Par.Emulator;

/// <summary>Settings of the control-plane emulator. Defaults suit a workstation; nothing here is fit for production.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Kestrel URL; <c>http://127.0.0.1:0</c> picks a free port (tests).</summary>
    public string ListenUrl { get; init; } = "http://127.0.0.1:9020";
    /// <summary>Issuer of push tokens; defaults to the first address actually bound.</summary>
    public string? PublicUrl { get; init; }
    public long OrgId { get; init; } = 1_000_001;
    public string Region { get; init; } = "us1";
    /// <summary>The DD-API-KEY enrollment accepts.</summary>
    public string ApiKey { get; init; } = "emulator-api-key";
    /// <summary>The DD-APPLICATION-KEY enrollment accepts.</summary>
    public string ApplicationKey { get; init; } = "emulator-app-key";
    /// <summary>How long a dequeued task stays leased without a heartbeat before it is queued again.</summary>
    public int LeaseSeconds { get; init; } = 30;
    /// <summary>timeout_seconds of tasks that do not name one; also bounds how long heartbeats can keep a lease.</summary>
    public int DefaultTaskTimeoutSeconds { get; init; } = 60;
    /// <summary>exp of a signed task, counted from enqueue, when the admin call does not name one.</summary>
    public int TaskExpirySeconds { get; init; } = 600;
    /// <summary>File holding the control plane's private JWK, so runners' pinned JWKS stay valid across restarts. None = a new key per start.</summary>
    public string? KeyFile { get; init; }
    /// <summary>Refuse /admin calls that do not come from a loopback address.</summary>
    public bool AdminLoopbackOnly { get; init; } = true;

    public static EmulatorOptions From(IConfiguration configuration) => configuration.Get<EmulatorOptions>() ?? new EmulatorOptions();

    internal void Validate()
    {
        if (OrgId <= 0) throw new ArgumentException("OrgId must be positive.");
        if (LeaseSeconds <= 0) throw new ArgumentException("LeaseSeconds must be positive.");
        if (DefaultTaskTimeoutSeconds <= 0) throw new ArgumentException("DefaultTaskTimeoutSeconds must be positive.");
        if (TaskExpirySeconds <= 0) throw new ArgumentException("TaskExpirySeconds must be positive.");
        if (string.IsNullOrWhiteSpace(ApiKey) || string.IsNullOrWhiteSpace(ApplicationKey))
            throw new ArgumentException("ApiKey and ApplicationKey must be set.");
    }
}
