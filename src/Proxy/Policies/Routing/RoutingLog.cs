namespace Gateway.Proxy.Policies.Routing;

internal sealed partial class RoutingLog(ILogger<RoutingLog> logger)
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Request {RequestId}: no usable deployment for {Version}")]
    public partial void NoDeployment(string requestId, string version);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Request {RequestId}: attempt {Attempt} on deployment {Deployment} failed ({Reason}); failing over")]
    public partial void FailingOver(string requestId, int attempt, string deployment, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Request {RequestId}: deployment {Deployment} failed ({Reason}) and no other deployment is left")]
    public partial void Exhausted(string requestId, string deployment, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Circuit of deployment {Deployment} opened after {Failures} consecutive failures")]
    public partial void BreakerOpened(string deployment, int failures);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Circuit of deployment {Deployment} closed again")]
    public partial void BreakerClosed(string deployment);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Request {RequestId}: upstream stream of deployment {Deployment} broke off after the response started")]
    public partial void Dropped(string requestId, string deployment);
}
