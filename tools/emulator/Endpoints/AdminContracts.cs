using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Emulator.Endpoints;

// Bodies of the admin API (camelCase JSON). Loopback, no auth: a test and demo tool, not a product surface.

public sealed record NewTaskRequest(
    string? Action, JsonElement? Inputs, ConnectionRef? Connection = null, int? TimeoutSeconds = null, string? RunnerId = null,
    int? ExpiresInSeconds = null, string? JobId = null);

public sealed record NewTaskResponse(string TaskId, string JobId, string RunnerId);

/// <summary>Many tasks in one call, so a benchmark's producer is not limited by one HTTP round trip per task.</summary>
public sealed record NewTaskBatchRequest(IReadOnlyList<NewTaskRequest>? Tasks);

public sealed record NewTaskBatchResponse(IReadOnlyList<string> TaskIds);

/// <summary>
/// Exactly one of <see cref="Document"/> (queued as-is: forged or unsigned tasks, broken JSON:API) or <see cref="Payload"/>
/// (signed with the emulator's real key: expired tasks, tasks for another runner or org).
/// </summary>
public sealed record RawTaskRequest(string? RunnerId = null, JsonElement? Document = null, JsonElement? Payload = null);

public sealed record RawTaskResponse(string TaskId, string RunnerId);

public sealed record TaskView(
    string TaskId, string JobId, string RunnerId, string Action, string State, JsonElement? Result, int Reports, int Duplicates,
    int Deliveries, int Heartbeats, DateTimeOffset EnqueuedAt, DateTimeOffset? LeaseExpiresAt, DateTimeOffset? CompletedAt);

public sealed record StatsView(int Queued, int Leased, int Succeeded, int Failed, int Total, long DuplicateReports, int Runners);

public sealed record OutageRequest(double Seconds);

public sealed record OutageResponse(DateTimeOffset? Until);

public sealed record NewTokenRequest(string? Action, ConnectionRef? Connection = null, string? Audience = null, int? LifetimeSeconds = null);

public sealed record NewTokenResponse(string Token, string Jti, string Audience, DateTimeOffset ExpiresAt);

public sealed record NewRunnerRequest(string? PublicKeyPem, string? RunnerId = null, string? Name = null, IReadOnlyList<string>? Modes = null);

public sealed record NewRunnerResponse(string RunnerId, long OrgId, string Urn);
