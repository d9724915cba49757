using Microsoft.Net.Http.Headers;

namespace Par.Emulator.Auth;

/// <summary>Lets a pull call through only with a valid runner JWT, and hands the caller's identity to the endpoint.</summary>
internal sealed class RunnerAuthFilter(RunnerTokenVerifier verifier) : IEndpointFilter
{
    private const string ItemKey = "par.runner";

    public static RunnerIdentity Caller(HttpContext context) =>
        context.Items[ItemKey] as RunnerIdentity ?? throw new InvalidOperationException("The runner filter did not run.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await verifier.VerifyAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null);
        if (result.Identity is null)
        {
            // RFC 6750 §3: tell the client which scheme failed and why, without echoing the token.
            http.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer error=\"invalid_token\", error_description=\"{result.Error?.Replace("\"", "'")}\"";
            return Problems.Of(StatusCodes.Status401Unauthorized, "Unauthorized", result.Error);
        }
        http.Items[ItemKey] = result.Identity;
        return await next(context);
    }
}
