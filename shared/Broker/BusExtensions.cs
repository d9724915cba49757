using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Par.Shared.Configuration;
using Par.Shared.Contracts;

namespace Par.Shared.Broker;

public static class BusExtensions
{
    /// <summary>
    /// Registers the one bus of a process. Each role adds its consumers and clients through <paramref name="register"/>,
    /// so an all-in-one host composes the roles on a single bus. <c>in-memory</c> keeps everything in the process.
    /// </summary>
    public static IServiceCollection AddRunnerBus(this IServiceCollection services, RunnerConfig config,
        Action<IBusRegistrationConfigurator> register)
    {
        services.AddMassTransit(x =>
        {
            register(x);
            if (config.UsesInMemoryBroker)
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                return;
            }

            var address = BrokerAddress.Parse(config.BrokerUrl);
            // RabbitMQ's amq.rabbitmq.reply-to pseudo-queue: no reply queue to declare, bind or consume from.
            if (config.BrokerReplyMode == RunnerConfig.DirectReplyTo)
                x.SetRabbitMqReplyToRequestClientFactory();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(address.Host, address.Port, address.VirtualHost, $"par-{Environment.ProcessId}", h =>
                {
                    h.Username(address.Username);
                    h.Password(address.Password);
                    // A dead broker must be noticed within seconds, not after the OS's TCP timeout.
                    h.Heartbeat(TimeSpan.FromSeconds(5));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(3));
                    if (address.UseTls)
                        h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                });
                // A push command lives as long as its HTTP request: if the broker restarts, the gateway has already
                // answered 503 ("may or may not have run"), so a copy that survived on disk would only run late, after
                // the caller gave up. Sending it transient spares the broker's disk writes on the hot path. Pull
                // commands stay persistent.
                cfg.ConfigureSend(send => send.UseSendExecute<RunAction>(sent =>
                {
                    if (sent.Message.Origin == ActionOrigin.Push)
                        sent.Durable = false;
                }));
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
