using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Par.Shared.Hosting;

namespace Par.Tests.Services;

public sealed class When_a_service_logs_at_its_default_levels
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("System.Net.Http.HttpClient.control-plane.LogicalHandler")]
    [InlineData("System.Net.Http.HttpClient.http-action.ClientHandler")]
    public void Per_request_framework_lines_are_not_written(string category)
    {
        var logger = LoggerFor(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Theory]
    [InlineData("Par.Poller.PollLoop")]
    [InlineData("Microsoft.Hosting.Lifetime")]
    [InlineData("MassTransit")]
    public void The_runners_own_and_start_up_lines_still_are(string category) =>
        Assert.True(LoggerFor(category).IsEnabled(LogLevel.Information));

    [Fact]
    public void An_operator_can_turn_them_back_on_from_configuration()
    {
        var logger = LoggerFor("System.Net.Http.HttpClient.control-plane.LogicalHandler",
            ("Logging:LogLevel:System.Net.Http.HttpClient", "Information"));

        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(LoggerFor("Microsoft.AspNetCore.Hosting.Diagnostics",
            ("Logging:LogLevel:System.Net.Http.HttpClient", "Information")).IsEnabled(LogLevel.Information));
    }

    private static ILogger LoggerFor(string category, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        foreach (var (key, value) in settings)
            builder.Configuration[key] = value;
        builder.UseRunnerLogging();
        var host = builder.Build();
        return host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
    }
}
