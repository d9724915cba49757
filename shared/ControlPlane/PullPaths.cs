namespace Par.Shared.ControlPlane;

/// <summary>Routes of the control plane the runner calls (docs/pull-protocol.md). Paths are the original runner's.</summary>
public static class PullPaths
{
    public const string Prefix = "/api/v2/on-prem-management-service";
    public const string Dequeue = Prefix + "/workflow-tasks/dequeue";
    public const string Heartbeat = Prefix + "/workflow-tasks/heartbeat";
    public const string PublishTaskUpdate = Prefix + "/workflow-tasks/publish-task-update";
    public const string HealthCheck = Prefix + "/runner/health-check";

    public const string Enrollment = "/api/unstable/on_prem_runners";
    /// <summary>Ours: where the control plane publishes the keys that sign tasks and push tokens.</summary>
    public const string Jwks = "/.well-known/jwks.json";
}

public static class PullHeaders
{
    public const string ApiKey = "DD-API-KEY";
    public const string ApplicationKey = "DD-APPLICATION-KEY";
}
