using System.Security.Authentication;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>Turns what HttpClient throws into the action's errors, naming the host but never the full URL (it may carry secrets).</summary>
internal static class HttpFailures
{
    public static ActionFailedException From(HttpRequestException failure, Uri uri)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Raised by our connect callback (IMDS) and passed up by SocketsHttpHandler inside its own exception.
                case ActionFailedException actionFailure:
                    return actionFailure;
                case CertificateRejectedException rejected:
                    return new ActionFailedException(ErrorCodes.HttpError, $"TLS certificate of {uri.IdnHost} was refused: {rejected.Message}");
                case AuthenticationException tls:
                    return new ActionFailedException(ErrorCodes.HttpError, $"TLS connection to {uri.IdnHost} failed: {tls.Message}");
            }
        }
        // HttpClient's own message is often just "An error occurred while sending the request"; the cause is innermost.
        var cause = failure.GetBaseException();
        var reason = failure.Message.Contains(cause.Message, StringComparison.Ordinal) ? failure.Message : $"{failure.Message} ({cause.Message})";
        return new ActionFailedException(ErrorCodes.HttpError, $"HTTP request to {uri.IdnHost} failed: {reason}");
    }

    public static ActionFailedException From(IOException failure, Uri uri) =>
        new(ErrorCodes.HttpError, $"reading the response of {uri.IdnHost} failed: {failure.Message}");

    public static ActionFailedException Timeout(Uri uri, int seconds) =>
        new(ErrorCodes.Timeout, $"HTTP request to {uri.IdnHost} did not complete within {seconds} s (httpTimeoutSeconds)");
}
