using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Par.Shared.Hosting;

/// <summary>
/// Log levels every service starts from. At the framework's defaults each push request wrote two Information lines
/// (ASP.NET Core's request start and finish) and each pull task eight (four per control-plane or HTTP-action call from
/// the HTTP client factory): noise for operators and CPU taken from the work. Those categories start at Warning; an
/// operator who wants them back sets them, e.g. <c>Logging__LogLevel__System.Net.Http.HttpClient=Information</c>,
/// and that wins over these defaults.
/// </summary>
public static class RunnerLogging
{
    public static readonly IReadOnlyDictionary<string, LogLevel> QuietCategories = new Dictionary<string, LogLevel>
    {
        ["Microsoft.AspNetCore"] = LogLevel.Warning,
        ["System.Net.Http.HttpClient"] = LogLevel.Warning,
    };

    public static TBuilder UseRunnerLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var levels = builder.Configuration.GetSection("Logging:LogLevel");
        foreach (var (category, level) in QuietCategories)
        {
            if (!levels.GetSection(category).Exists())
                builder.Logging.AddFilter(category, level);
        }
        return builder;
    }
}
