using Polly;
using Polly.Retry;

namespace Par.Poller;

/// <summary>
/// Retry policy for control-plane calls, as the original: exponential from 1 s capped at 3 min, a 5-minute pause after
/// 20 failures in a row; plus what it lacked: the server's Retry-After is honoured when it gives one.
/// </summary>
public static class ControlPlaneBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan LongPause = TimeSpan.FromMinutes(5);
    public const int FailuresBeforeLongPause = 20;

    public static ResiliencePipeline Create(TimeProvider time, ILogger logger, string operation) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<ControlPlaneException>(e => e.IsTransient)
                    // A call's own timeout; Polly does not retry once the caller's token is cancelled.
                    .Handle<OperationCanceledException>(),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome.Exception)),
                OnRetry = args =>
                {
                    logger.LogWarning("Control plane {Operation} failed ({Error}); retry {Attempt} in {Delay:F1} s",
                        operation, args.Outcome.Exception?.Message, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>The wait before retry number <paramref name="attempt"/> (0-based).</summary>
    public static TimeSpan Delay(int attempt, Exception? error)
    {
        if (error is ControlPlaneException { RetryAfter: { } hint })
            return hint < TimeSpan.Zero ? TimeSpan.Zero : hint > LongPause ? LongPause : hint;
        if (attempt + 1 >= FailuresBeforeLongPause)
            return LongPause;
        var exponential = First * Math.Pow(2, Math.Min(attempt, 16));
        var capped = exponential > Cap ? Cap : exponential;
        // Jitter keeps a fleet of runners from retrying in lockstep after a control-plane outage.
        return capped * (0.8 + Random.Shared.NextDouble() * 0.4);
    }
}
