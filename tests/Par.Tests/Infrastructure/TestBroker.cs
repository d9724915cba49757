namespace Par.Tests.Infrastructure;

/// <summary>
/// The real RabbitMQ the test script starts (test.sh). Each test stack gets queues of its own, so tests never see each
/// other's commands. Where Docker is available Testcontainers would start it instead; it cannot restore here.
/// </summary>
public static class TestBroker
{
    public static string Url => Environment.GetEnvironmentVariable("PAR_TEST_BROKER_URL") ?? "amqp://guest:guest@127.0.0.1:5672/";

    public static string UniqueQueue(string purpose) => $"test.{purpose}.{Guid.NewGuid():N}";

    /// <summary>A port nothing listens on: a broker that is down.</summary>
    public static string Unreachable => "amqp://guest:guest@127.0.0.1:1/";
}
