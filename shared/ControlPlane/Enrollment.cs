using System.Text.Json.Serialization;

namespace Par.Shared.ControlPlane;

/// <summary>Body of <c>POST /api/unstable/on_prem_runners</c>, sent with DD-API-KEY and DD-APPLICATION-KEY headers.</summary>
public sealed record EnrollmentRequest
{
    [JsonPropertyName("runner_name")] public required string RunnerName { get; init; }
    /// <summary>"pull" and/or "push".</summary>
    [JsonPropertyName("runner_modes")] public required IReadOnlyList<string> RunnerModes { get; init; }
    [JsonPropertyName("runner_host")] public string? RunnerHost { get; init; }
    /// <summary>SPKI PEM of the runner's P-256 public key; the private key never leaves the runner.</summary>
    [JsonPropertyName("public_key_pem")] public required string PublicKeyPem { get; init; }
}

public sealed record EnrollmentResponse
{
    [JsonPropertyName("runner_id")] public required string RunnerId { get; init; }
    [JsonPropertyName("org_id")] public required long OrgId { get; init; }
    [JsonPropertyName("runner_modes")] public required IReadOnlyList<string> RunnerModes { get; init; }
}
