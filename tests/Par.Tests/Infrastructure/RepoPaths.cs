namespace Par.Tests.Infrastructure;

/// <summary>Finds the built service binaries, for tests that run a service as a real OS process.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whichever configuration built the tests built the services too.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string ServiceDll(string projectFolder, string assembly) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assembly + ".dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
