using System.Text.Json;
using Par.Executor.Credentials;
using Par.Shared.Contracts;

namespace Par.Executor.Actions;

/// <summary>What an action gets to run: its inputs, its connection and the credentials already read for it.</summary>
public sealed record ActionContext(JsonElement Inputs, ConnectionRef? Connection, Credential? Credential);
