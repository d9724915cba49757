using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>Reads a response body up to a limit, never buffering more than the limit plus one read.</summary>
internal static class BodyReader
{
    private const int FirstBufferBytes = 16 * 1024;

    /// <param name="failWhenLarger">True: a bigger body fails with OUTPUT_TOO_LARGE. False: the body is cut at the limit.</param>
    public static async Task<ArraySegment<byte>> ReadAsync(HttpContent content, long limit, bool failWhenLarger, CancellationToken cancellationToken)
    {
        limit = Math.Min(limit, Array.MaxLength - 1);
        var declared = content.Headers.ContentLength;
        if (failWhenLarger && declared > limit)
            throw TooLarge(limit);

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // One byte beyond the limit is enough to know the body is too large.
        var buffer = new byte[Math.Min(declared is { } d ? d + 1 : FirstBufferBytes, limit + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1));
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
                return new ArraySegment<byte>(buffer, 0, length);
            length += read;
            if (length > limit)
            {
                if (failWhenLarger)
                    throw TooLarge(limit);
                return new ArraySegment<byte>(buffer, 0, (int)limit);
            }
        }
    }

    private static ActionFailedException TooLarge(long limit) =>
        new(ErrorCodes.OutputTooLarge, $"response body is larger than the {limit}-byte limit of the HTTP action");
}
