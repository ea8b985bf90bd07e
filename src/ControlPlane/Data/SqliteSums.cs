using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Data;

/// <summary>
/// Sums of ledger amounts that every provider can make. SQLite keeps ledger amounts as pico-unit
/// integers (<see cref="Money"/>) and its <c>SUM</c> fails once a total passes 9,223,372 in a
/// currency: a report answered 500, and the month's usage per subscription stopped every snapshot
/// from being compiled. On SQLite the rows are read and summed here, as decimals; elsewhere the
/// database sums them (<c>decimal(28,12)</c>).
/// </summary>
internal static class SqliteSums
{
    /// <summary>Runs <paramref name="aggregate"/> (a grouping with sums) over <paramref name="rows"/>: in SQL, or in memory on SQLite.</summary>
    public static async Task<List<TResult>> AggregateAsync<TRow, TResult>(
        this IQueryable<TRow> rows, GatewayDbContext db, Func<IQueryable<TRow>, IQueryable<TResult>> aggregate, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return await aggregate(rows).ToListAsync(cancellationToken);
        var read = await rows.ToListAsync(cancellationToken);
        return [.. aggregate(read.AsQueryable())];
    }
}
