using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// AllocTop TRACE.nettrace [COUNT] [REQUESTS]: the runtime's AllocationTick events (one per ~100 KB
// allocated, naming the type that crossed the mark) summed by type. With the number of requests
// the trace covered, also the bytes per request each type accounts for.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: AllocTop TRACE.nettrace [COUNT] [REQUESTS]");
    return 2;
}
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
var requests = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0;
var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += (GCAllocationTickTraceData e) =>
    {
        var name = e.TypeName ?? "?";
        bytes[name] = bytes.GetValueOrDefault(name) + e.AllocationAmount64;
        total += e.AllocationAmount64;
    };
    source.Process();
}
if (total == 0)
{
    Console.Error.WriteLine("no AllocationTick events: record with --profile gc-verbose");
    return 1;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled {total / 1048576.0:0.0} MiB{(requests > 0 ? $", {total / requests:0} B per request" : "")}"));
foreach (var (name, sum) in bytes.OrderByDescending(p => p.Value).Take(count))
{
    var perRequest = requests > 0 ? string.Create(CultureInfo.InvariantCulture, $"{sum / requests,7:0} B  ") : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * sum / total,6:0.0} %  {perRequest}{name}"));
}
return 0;
