using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Portal.Api;

/// <summary>The wire names of the API's enums (their <c>JsonStringEnumMemberName</c>), for query strings and labels.</summary>
internal static class JsonNaming
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string EnumValue(Enum value)
    {
        var field = value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
    }
}
