using System.Text.Json;
using System.Text.Json.Serialization;

namespace Par.Shared.ControlPlane;

/// <summary>
/// Serializer options for every pull-protocol body. Wire names of the protocol records are pinned by attributes (snake_case);
/// the camelCase policy covers the types reused inside them (<c>ConnectionRef</c>), so both ends agree whatever their defaults.
/// </summary>
public static class PullJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
