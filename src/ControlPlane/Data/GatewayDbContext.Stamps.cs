using System.Globalization;

namespace Gateway.ControlPlane.Data;

internal abstract partial class GatewayDbContext
{
    /// <summary>The row version of a tracked entity as an opaque string (what clients send back to detect lost updates).</summary>
    public string StampOf(object entity)
    {
        var value = Entry(entity).Property(RowVersion).CurrentValue;
        return value switch
        {
            null => "0",
            byte[] bytes => Convert.ToHexStringLower(bytes),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "0",
        };
    }

    /// <summary>True when no stamp was sent or it is the entity's current one.</summary>
    public bool MatchesStamp(object entity, string? stamp) => stamp is null || string.Equals(StampOf(entity), stamp, StringComparison.Ordinal);
}
