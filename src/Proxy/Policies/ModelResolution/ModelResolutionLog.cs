namespace Gateway.Proxy.Policies.ModelResolution;

internal sealed partial class ModelResolutionLog(ILogger<ModelResolutionLog> logger)
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Request {RequestId}: model {Model} refused ({Reason})")]
    public partial void Refused(string requestId, string model, ResolutionResult reason);
}
