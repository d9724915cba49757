using System.Text.Json;
using Par.Emulator.Auth;
using Par.Emulator.Outage;
using Par.Emulator.Tasks;
using Par.Shared.ControlPlane;

namespace Par.Emulator.Endpoints;

/// <summary>The runner-facing protocol (docs/pull-protocol.md): every call needs the runner's JWT and fails during an outage.</summary>
internal static class PullEndpoints
{
    public static void MapPull(this WebApplication app)
    {
        var pull = app.MapGroup("").AddEndpointFilter<OutageFilter>().AddEndpointFilter<RunnerAuthFilter>();
        pull.MapPost(PullPaths.Dequeue, DequeueAsync);
        pull.MapPost(PullPaths.Heartbeat, HeartbeatAsync);
        pull.MapPost(PullPaths.PublishTaskUpdate, PublishAsync);
        pull.MapGet(PullPaths.HealthCheck, () => Results.Json(new { status = "ok" }));
    }

    private static async Task<IResult> DequeueAsync(HttpContext context, TaskStore store)
    {
        var (ok, request) = await JsonBody.ReadAsync<DequeueRequest>(context.Request);
        if (!ok) return Problems.BadRequest("The body must be empty or {\"waitMs\": n}.");
        var wait = TimeSpan.FromMilliseconds(Math.Clamp(request?.WaitMs ?? 0, 0, DequeueRequest.MaxWaitMs));
        try
        {
            var entry = await store.DequeueAsync(RunnerAuthFilter.Caller(context).RunnerId, wait, context.RequestAborted);
            // No task: 200 with an empty body, as the original control plane answers.
            return entry is null ? Results.Ok() : Results.Bytes(entry.Document, "application/json");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext context, TaskStore store)
    {
        var (ok, request) = await JsonBody.ReadAsync<HeartbeatRequest>(context.Request);
        if (!ok || request is null || string.IsNullOrEmpty(request.Data?.Attributes?.TaskId))
            return Problems.BadRequest("The body must be {data:{type:\"heartbeat\", attributes:{task_id}}}.");
        return store.Heartbeat(RunnerAuthFilter.Caller(context).RunnerId, request.Data.Attributes.TaskId) switch
        {
            HeartbeatOutcome.Extended => Results.Ok(),
            HeartbeatOutcome.UnknownTask => Problems.NotFound("No such task for this runner."),
            _ => Problems.Of(StatusCodes.Status410Gone, "Lease gone",
                "The task is no longer leased to this runner (lease expired, task finished or timed out): stop working on it."),
        };
    }

    private static async Task<IResult> PublishAsync(HttpContext context, TaskStore store)
    {
        var (ok, request) = await JsonBody.ReadAsync<TaskUpdateRequest>(context.Request);
        if (!ok || request is null || string.IsNullOrEmpty(request.Data?.Attributes?.TaskId))
            return Problems.BadRequest("The body must be a JSON:API taskUpdate with attributes {task_id, action_fqn, job_id, payload}.");
        var succeeded = request.Data!.Id switch
        {
            TaskUpdateKinds.Succeed => true,
            TaskUpdateKinds.Fail => false,
            _ => (bool?)null,
        };
        if (succeeded is null) return Problems.BadRequest($"data.id must be {TaskUpdateKinds.Succeed} or {TaskUpdateKinds.Fail}.");

        var payload = JsonSerializer.SerializeToElement(request.Data.Attributes.Payload, PullJson.Options);
        return store.Report(RunnerAuthFilter.Caller(context).RunnerId, request.Data.Attributes.TaskId, succeeded.Value, payload) switch
        {
            ReportOutcome.Accepted => Results.Json(new { duplicate = false }),
            // Still 200: a runner that retries after a lost answer must see success, not an error to retry forever.
            ReportOutcome.Duplicate => Results.Json(new { duplicate = true }),
            ReportOutcome.WrongRunner => Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", "The task belongs to another runner."),
            _ => Problems.NotFound("No such task."),
        };
    }
}
