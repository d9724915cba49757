namespace Par.Shared.Configuration;

/// <summary>A configuration problem that stops start-up. The message names the file, the line and the key.</summary>
public sealed class ConfigException(string message) : Exception(message);
