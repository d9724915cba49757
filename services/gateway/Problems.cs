namespace Par.Gateway;

/// <summary>The gateway's refusals, as RFC 9457 problem+json with a stable type per kind.</summary>
public static class Problems
{
    public static IResult Unauthorized(string detail) => Problem(401, "invalid-token", "The request's token was refused", detail);
    public static IResult Forbidden(string detail) => Problem(403, "forbidden", "The token does not allow this request", detail);
    public static IResult BadRequest(string detail) => Problem(400, "bad-request", "The request is malformed", detail);
    public static IResult TooLarge(long limit) => Problem(413, "too-large", "The request body is too large", $"The body must be at most {limit} bytes (maxRequestBodyBytes).");
    public static IResult BrokerUnavailable(string detail) => Problem(503, "broker-unavailable", "The runner cannot reach its broker", detail);
    public static IResult NoExecutor(TimeSpan waited) => Problem(504, "no-executor", "No executor answered in time",
        $"No executor answered within {waited.TotalSeconds:F0} s. Check that executors are running and connected to the broker.");

    private static IResult Problem(int status, string type, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: $"https://par.dev/problems/{type}");
}
