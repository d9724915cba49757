namespace Par.Shared.Contracts;

/// <summary>Stable error codes carried in <see cref="ActionError.Code"/>.</summary>
public static class ErrorCodes
{
    public const string UnknownAction = "UNKNOWN_ACTION";
    public const string ActionNotAllowed = "ACTION_NOT_ALLOWED";
    public const string InvalidInputs = "INVALID_INPUTS";
    public const string CredentialsError = "CREDENTIALS_ERROR";
    public const string Interrupted = "INTERRUPTED";
    public const string DeadlineExceeded = "DEADLINE_EXCEEDED";
    public const string Timeout = "TIMEOUT";
    public const string OutputTooLarge = "OUTPUT_TOO_LARGE";
    public const string ForbiddenDestination = "FORBIDDEN_DESTINATION";
    public const string HttpError = "HTTP_ERROR";
    public const string HttpStatus = "HTTP_STATUS";
    public const string InvalidTask = "INVALID_TASK";
    public const string Internal = "INTERNAL";
}
