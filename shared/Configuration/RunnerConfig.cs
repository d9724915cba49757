using System.Collections;
using System.Reflection;
using System.Text;

namespace Par.Shared.Configuration;

public enum RunnerMode
{
    /// <summary>App Builder: browsers call the gateway with single-use tokens.</summary>
    Push,
    /// <summary>Workflow Automation: the poller dequeues tasks from the control plane.</summary>
    Pull,
}

/// <summary>
/// Everything read from <c>config.yaml</c> (keys of the original runner plus ours, see docs/configuration.md) after
/// environment overrides. Built only by <see cref="RunnerConfigLoader"/>, which refuses unknown keys and bad values.
/// </summary>
public sealed record RunnerConfig
{
    public const string InMemoryBroker = "in-memory";

    /// <summary>Folder that held config.yaml; credentials live in its <c>credentials</c> subfolder.</summary>
    public required string ConfigDir { get; init; }
    /// <summary>Path of the file the values came from, for messages.</summary>
    public string? SourceFile { get; init; }

    // Keys of the original runner (par-facts.md).
    public string? DdBaseUrl { get; init; }
    public string? Urn { get; init; }
    public string? PrivateKey { get; init; }
    public string? RunnerName { get; init; }
    public IReadOnlySet<RunnerMode> Modes { get; init; } = new HashSet<RunnerMode> { RunnerMode.Push };
    public int Port { get; init; } = 9016;
    /// <summary>Seconds the gateway may take to answer; also the deadline of a push command.</summary>
    public int HttpServerWriteTimeout { get; init; } = 60;
    public bool AllowImdsEndpoint { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> ActionsAllowlist { get; init; } = [];
    /// <summary>0 = no task timeout (as the original standalone runner).</summary>
    public int TaskTimeoutSeconds { get; init; }
    public int HttpTimeoutSeconds { get; init; } = 30;
    public int TaskConcurrency { get; init; } = 5;

    // Keys of ours.
    /// <summary>Path (relative to the config folder) or http(s) URL of the control plane's JWKS.</summary>
    public string? ControlPlaneJwks { get; init; }
    /// <summary>Hostname globs the HTTP action may reach; empty = all.</summary>
    public IReadOnlyList<string> HttpAllowlist { get; init; } = [];
    /// <summary>Browser origins allowed by CORS on the gateway; empty = no cross-origin calls.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    /// <summary><c>amqp://…</c>, or <c>in-memory</c> when all roles run in one process.</summary>
    public string BrokerUrl { get; init; } = InMemoryBroker;
    /// <summary>Queue the RunAction commands go to; executors compete on it.</summary>
    public string BrokerQueue { get; init; } = "par.run-action";
    /// <summary>How many actions one executor runs at once.</summary>
    public int ExecutorConcurrency { get; init; } = 32;
    /// <summary>Largest push request body the gateway reads, in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;
    /// <summary>Address the gateway binds; 0.0.0.0 inside a container, 127.0.0.1 on a workstation.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>How answers come back to the gateway over RabbitMQ (bench/README.md has the measurement).</summary>
    public string BrokerReplyMode { get; init; } = DirectReplyTo;
    public const string DirectReplyTo = "direct-reply-to";
    public const string ResponseQueue = "response-queue";
    /// <summary>Durable queue the executors' answers to pull tasks travel on, so a poller restart loses none.</summary>
    public string ResultsQueue { get; init; } = "par.task-results";
    /// <summary>How long one dequeue call may wait for a task (long-poll); 0 = the original's 1 s polling loop.</summary>
    public int PollWaitMs { get; init; } = 20_000;
    /// <summary>Heartbeat period of a running pull task (the original's 20 s).</summary>
    public int HeartbeatIntervalSeconds { get; init; } = 20;
    /// <summary>On SIGTERM, how long the poller waits for in-flight tasks before exiting.</summary>
    public int DrainTimeoutSeconds { get; init; } = 30;

    public string CredentialsDir => Path.Combine(ConfigDir, "credentials");
    public bool UsesInMemoryBroker => string.Equals(BrokerUrl, InMemoryBroker, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A record prints every property, and a config is the kind of object that gets logged at start-up: the private
    /// key is left out, and lists are spelled out instead of printing as their type name.
    /// </summary>
    private bool PrintMembers(StringBuilder builder)
    {
        var separator = "";
        foreach (var property in typeof(RunnerConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(this);
            builder.Append(separator).Append(property.Name).Append(" = ").Append(value switch
            {
                not null when property.Name == nameof(PrivateKey) => "(secret not shown)",
                string text => text,
                IEnumerable items => $"[{string.Join(", ", items.Cast<object>())}]",
                _ => value,
            });
            separator = ", ";
        }
        return true;
    }

    /// <summary>A role running as its own process meets the others only through a real broker.</summary>
    public void RequireSharedBroker(string role)
    {
        if (UsesInMemoryBroker)
            throw new ConfigException($"{SourceFile ?? "config.yaml"}: key 'brokerUrl' must be an amqp:// URL when the {role} runs as its own process; 'in-memory' only works in the all-in-one runner (par).");
    }
}
