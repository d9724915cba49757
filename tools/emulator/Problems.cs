namespace Par.Emulator;

/// <summary>Every error the emulator answers is application/problem+json (RFC 9457), so clients can log a reason.</summary>
internal static class Problems
{
    public static IResult Of(int status, string title, string? detail = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Bad request", detail);
    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);
}
