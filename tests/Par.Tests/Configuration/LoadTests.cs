using Par.Shared.Configuration;

namespace Par.Tests.Configuration;

public sealed class When_the_config_is_loaded_from_disk : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("par-config-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void The_folder_comes_from_DD_PRIVATE_RUNNER_CONFIG_DIR()
    {
        System.IO.File.WriteAllText(Path.Combine(dir, "config.yaml"), "runnerName: from-disk\n");

        var config = RunnerConfigLoader.Load(environment: new Dictionary<string, string?> { ["DD_PRIVATE_RUNNER_CONFIG_DIR"] = dir });

        Assert.Equal("from-disk", config.RunnerName);
        Assert.Equal(dir, config.ConfigDir);
        Assert.Equal(Path.Combine(dir, "config.yaml"), config.SourceFile);
    }

    [Fact]
    public void A_folder_given_by_the_caller_wins_over_the_variable()
    {
        System.IO.File.WriteAllText(Path.Combine(dir, "config.yaml"), "runnerName: given\n");

        var config = RunnerConfigLoader.Load(dir, new Dictionary<string, string?> { ["DD_PRIVATE_RUNNER_CONFIG_DIR"] = "/nonexistent" });

        Assert.Equal("given", config.RunnerName);
    }

    [Fact]
    public void Problems_name_the_file_that_was_read()
    {
        System.IO.File.WriteAllText(Path.Combine(dir, "config.yaml"), "runnerName: r\nport: 0\n");

        var message = Assert.Throws<ConfigException>(() => RunnerConfigLoader.Load(dir, new Dictionary<string, string?>())).Message;

        Assert.StartsWith($"{Path.Combine(dir, "config.yaml")}:2: key 'port'", message);
    }

    [Fact]
    public void A_missing_folder_stops_startup_saying_where_it_looked_and_how_to_fix_it()
    {
        var missing = Path.Combine(dir, "absent");

        var message = Assert.Throws<ConfigException>(() =>
            RunnerConfigLoader.Load(environment: new Dictionary<string, string?> { ["DD_PRIVATE_RUNNER_CONFIG_DIR"] = missing })).Message;

        Assert.Contains($"configuration folder '{missing}' does not exist (folder from DD_PRIVATE_RUNNER_CONFIG_DIR)", message);
        Assert.Contains("Create it with a config.yaml", message);
        Assert.Contains("set DD_PRIVATE_RUNNER_CONFIG_DIR", message);
    }

    [Fact]
    public void A_missing_file_stops_startup_saying_where_it_looked_and_how_to_fix_it()
    {
        var message = Assert.Throws<ConfigException>(() => RunnerConfigLoader.Load(dir, new Dictionary<string, string?>())).Message;

        Assert.Contains($"'{Path.Combine(dir, "config.yaml")}' does not exist (folder given at start-up)", message);
        Assert.Contains("DD_PRIVATE_RUNNER_CONFIG_DIR", message);
    }

    [Fact]
    public void Without_folder_or_variable_it_looks_in_config_under_the_working_directory()
    {
        // Holds as long as the test run's working directory (the output folder) has no config folder.
        Assert.False(Directory.Exists("config"));

        var message = Assert.Throws<ConfigException>(() => RunnerConfigLoader.Load(environment: new Dictionary<string, string?>())).Message;

        Assert.Contains($"'{Path.GetFullPath("config")}' does not exist (default folder, as DD_PRIVATE_RUNNER_CONFIG_DIR is not set)", message);
    }
}
