using System.Security.Cryptography;
using System.Text;
using Par.Emulator.Runners;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Emulator.Endpoints;

internal static class EnrollmentEndpoints
{
    private static readonly HashSet<string> KnownModes = ["pull", "push", "workflowAutomation", "appBuilder"];

    public static void MapEnrollment(this WebApplication app) => app.MapPost(PullPaths.Enrollment, EnrollAsync);

    private static async Task<IResult> EnrollAsync(HttpContext context, EmulatorOptions options, RunnerRegistry runners)
    {
        var apiKey = context.Request.Headers[PullHeaders.ApiKey].ToString();
        var appKey = context.Request.Headers[PullHeaders.ApplicationKey].ToString();
        if (apiKey.Length == 0 || appKey.Length == 0)
            return Problems.Of(StatusCodes.Status401Unauthorized, "Unauthorized", $"Both {PullHeaders.ApiKey} and {PullHeaders.ApplicationKey} are required.");
        if (!SameSecret(apiKey, options.ApiKey) || !SameSecret(appKey, options.ApplicationKey))
            return Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", "The API key or application key is not valid for this org.");

        var (ok, request) = await JsonBody.ReadAsync<EnrollmentRequest>(context.Request);
        if (!ok || request is null) return Problems.BadRequest("The body must be {runner_name, runner_modes, runner_host?, public_key_pem}.");
        if (string.IsNullOrWhiteSpace(request.RunnerName)) return Problems.BadRequest("runner_name is required.");
        if (request.RunnerModes.Count == 0 || request.RunnerModes.Any(m => !KnownModes.Contains(m)))
            return Problems.BadRequest("runner_modes must list pull and/or push.");

        RegisteredRunner runner;
        try
        {
            runner = runners.Register(null, request.RunnerName, request.RunnerModes, request.PublicKeyPem);
        }
        catch (RunnerKeyException e)
        {
            return Problems.BadRequest(e.Message);
        }
        var response = new EnrollmentResponse { RunnerId = runner.RunnerId, OrgId = options.OrgId, RunnerModes = runner.Modes };
        return Results.Json(response, PullJson.Options);
    }

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
