using System.Net;
using System.Net.Http.Json;
using Par.Shared.ControlPlane;

namespace Par.Poller.Enrollment;

/// <summary>A refusal or failure of enrollment, worded for the operator who ran the command.</summary>
public sealed class EnrollmentException(string message) : Exception(message);

/// <summary>
/// Registers a runner's public key with the control plane using an API key and an application key. Retries what the
/// original retries (429, 502, 503, 504 and unreachable), honouring Retry-After, then gives up with a clear message.
/// </summary>
public sealed class EnrollmentClient(HttpClient http, TimeProvider time, int attempts = 5)
{
    public async Task<EnrollmentResponse> EnrollAsync(string apiKey, string appKey, EnrollmentRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, PullPaths.Enrollment) { Content = JsonContent.Create(request, options: PullJson.Options) };
                message.Headers.Add(PullHeaders.ApiKey, apiKey);
                message.Headers.Add(PullHeaders.ApplicationKey, appKey);
                using var response = await http.SendAsync(message, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadFromJsonAsync<EnrollmentResponse>(PullJson.Options, cancellationToken)
                        ?? throw new EnrollmentException("The control plane accepted the enrollment but sent no runner id.");

                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new EnrollmentException($"The control plane refused the API key or application key ({(int)response.StatusCode}). Check DD_API_KEY and DD_APP_KEY.");
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                    throw new EnrollmentException($"The control plane refused the enrollment ({(int)response.StatusCode}): {Cut(body)}");
                if (attempt >= attempts)
                    throw new EnrollmentException($"The control plane is unavailable ({(int)response.StatusCode}) after {attempts} attempts; try again later.");
                wait = response.Headers.RetryAfter?.Delta ?? Backoff(attempt);
            }
            catch (HttpRequestException e)
            {
                if (attempt >= attempts)
                    throw new EnrollmentException($"Cannot reach the control plane at {http.BaseAddress} after {attempts} attempts: {e.Message}");
                wait = Backoff(attempt);
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
