using System.Text.Json;
using Par.Emulator.Auth;
using Par.Emulator.Outage;
using Par.Emulator.Runners;
using Par.Emulator.Tasks;
using Par.Emulator.Tokens;
using Par.Shared.Security;

namespace Par.Emulator.Endpoints;

/// <summary>What a test, demo or benchmark drives the emulator with: queue tasks, read outcomes, mint push tokens, break things.</summary>
internal static class AdminEndpoints
{
    private static readonly JsonElement EmptyInputs = JsonDocument.Parse("{}").RootElement;

    public static void MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<LoopbackOnlyFilter>();
        admin.MapPost("/tasks", NewTask);
        admin.MapPost("/tasks/batch", NewTasks);
        admin.MapPost("/tasks/raw", RawTask);
        admin.MapGet("/tasks/{id}", GetTask);
        admin.MapGet("/stats", (TaskStore store, RunnerRegistry runners) => Stats(store, runners));
        admin.MapPost("/outage", Outage);
        admin.MapPost("/tokens", NewToken);
        admin.MapPost("/runners", NewRunner);
    }

    private static IResult NewTask(NewTaskRequest request, RunnerRegistry runners, EmulatorOptions options, TaskSigner signer, TaskStore store)
    {
        var (entry, error) = Build(request, runners, options, signer);
        if (entry is null) return error!;
        store.Enqueue(entry);
        return Results.Json(new NewTaskResponse(entry.TaskId, entry.JobId, entry.RunnerId));
    }

    private static IResult NewTasks(
        NewTaskBatchRequest request, RunnerRegistry runners, EmulatorOptions options, TaskSigner signer, TaskStore store)
    {
        if (request.Tasks is not { Count: > 0 } tasks) return Problems.BadRequest("tasks must list at least one task.");
        var entries = new List<TaskEntry>(tasks.Count);
        foreach (var task in tasks)
        {
            // All or nothing: a half-queued batch would make a benchmark's counts lie.
            var (entry, error) = Build(task, runners, options, signer);
            if (entry is null) return error!;
            entries.Add(entry);
        }
        foreach (var entry in entries) store.Enqueue(entry);
        return Results.Json(new NewTaskBatchResponse(entries.Select(e => e.TaskId).ToArray()));
    }

    private static IResult RawTask(RawTaskRequest request, RunnerRegistry runners, TaskSigner signer, TaskStore store)
    {
        if (request.Document.HasValue == request.Payload.HasValue) return Problems.BadRequest("Give exactly one of document or payload.");
        if (Target(runners, request.RunnerId) is not { } runner) return NoRunner(request.RunnerId);
        var entry = request.Payload is { } payload ? signer.SignRaw(runner.RunnerId, payload) : signer.Wrap(runner.RunnerId, request.Document!.Value);
        if (!store.Enqueue(entry)) return Problems.Of(StatusCodes.Status409Conflict, "Conflict", "A task with this id already exists.");
        return Results.Json(new RawTaskResponse(entry.TaskId, entry.RunnerId));
    }

    private static IResult GetTask(string id, TaskStore store)
    {
        if (store.Find(id) is not { } e) return Problems.NotFound("No such task.");
        lock (e.Gate)
        {
            return Results.Json(new TaskView(
                e.TaskId, e.JobId, e.RunnerId, e.ActionFqn, e.State.ToString().ToLowerInvariant(), e.Result, e.Reports, e.Duplicates,
                e.Deliveries, e.Heartbeats, e.EnqueuedAt,
                e.State == TaskState.Leased ? e.LeaseExpiresAt : null, e.CompletedAt));
        }
    }

    private static IResult Stats(TaskStore store, RunnerRegistry runners)
    {
        var s = store.Stats();
        return Results.Json(new StatsView(s.Queued, s.Leased, s.Succeeded, s.Failed, s.Total, s.DuplicateReports, runners.Count));
    }

    private static IResult Outage(OutageRequest request, OutageSwitch outage)
    {
        if (request.Seconds < 0 || request.Seconds > 86_400) return Problems.BadRequest("seconds must be between 0 and 86400.");
        var until = outage.Start(TimeSpan.FromSeconds(request.Seconds));
        return Results.Json(new OutageResponse(request.Seconds > 0 ? until : null));
    }

    private static IResult NewToken(NewTokenRequest request, RunnerRegistry runners, EmulatorOptions options, PushTokenIssuer issuer)
    {
        if (string.IsNullOrWhiteSpace(request.Action)) return Problems.BadRequest("action (the action FQN) is required.");
        var lifetime = request.LifetimeSeconds ?? 120;
        if (lifetime <= 0) return Problems.BadRequest("lifetimeSeconds must be positive.");
        var audience = request.Audience;
        if (string.IsNullOrWhiteSpace(audience))
        {
            if (runners.Last is not { } last) return Problems.BadRequest("No audience given and no runner enrolled to default to.");
            audience = new RunnerUrn(options.Region, options.OrgId, last.RunnerId).ToString();
        }
        var token = issuer.Issue(request.Action, request.Connection, audience, TimeSpan.FromSeconds(lifetime));
        return Results.Json(new NewTokenResponse(token.Token, token.Jti, token.Audience, token.ExpiresAt));
    }

    private static IResult NewRunner(NewRunnerRequest request, RunnerRegistry runners, EmulatorOptions options)
    {
        if (string.IsNullOrWhiteSpace(request.PublicKeyPem)) return Problems.BadRequest("publicKeyPem is required.");
        RegisteredRunner runner;
        try
        {
            runner = runners.Register(request.RunnerId, request.Name ?? "test-runner", request.Modes ?? ["pull", "push"], request.PublicKeyPem);
        }
        catch (RunnerKeyException e)
        {
            return Problems.BadRequest(e.Message);
        }
        return Results.Json(new NewRunnerResponse(runner.RunnerId, options.OrgId, new RunnerUrn(options.Region, options.OrgId, runner.RunnerId).ToString()));
    }

    private static (TaskEntry?, IResult?) Build(NewTaskRequest request, RunnerRegistry runners, EmulatorOptions options, TaskSigner signer)
    {
        if (string.IsNullOrWhiteSpace(request.Action)) return (null, Problems.BadRequest("action (the action FQN) is required."));
        if (request.TimeoutSeconds is <= 0) return (null, Problems.BadRequest("timeoutSeconds must be positive."));
        if (request.ExpiresInSeconds is <= 0) return (null, Problems.BadRequest("expiresInSeconds must be positive."));
        if (Target(runners, request.RunnerId) is not { } runner) return (null, NoRunner(request.RunnerId));
        var spec = new TaskSpec(
            runner.RunnerId, request.Action, request.Inputs ?? EmptyInputs, request.Connection,
            request.TimeoutSeconds ?? options.DefaultTaskTimeoutSeconds,
            TimeSpan.FromSeconds(request.ExpiresInSeconds ?? options.TaskExpirySeconds), request.JobId);
        return (signer.Create(spec), null);
    }

    internal static RegisteredRunner? Target(RunnerRegistry runners, string? runnerId) =>
        string.IsNullOrWhiteSpace(runnerId) ? runners.Last : runners.Find(runnerId);

    internal static IResult NoRunner(string? runnerId) => string.IsNullOrWhiteSpace(runnerId)
        ? Problems.BadRequest("No runner is enrolled: enroll one or name runnerId.")
        : Problems.NotFound("No such runner.");
}
