namespace Gateway.Proxy.Snapshots.Grpc;

internal sealed partial class ControlPlaneSnapshotSource
{
    [LoggerMessage(EventId = 1141, Level = LogLevel.Error,
        Message = "Snapshot revision {Revision} from the control plane refused: {Problem}; the last good snapshot stays in force")]
    private partial void LogRefused(long revision, string problem);

    [LoggerMessage(EventId = 1142, Level = LogLevel.Debug, Message = "Snapshot revision {Revision} skipped: revision {Applied} is already applied")]
    private partial void LogNotNewer(long revision, long applied);

    [LoggerMessage(EventId = 1143, Level = LogLevel.Warning,
        Message = "The control plane's snapshot feed failed ({Error}); reconnecting with back-off, the snapshot in force stays")]
    private partial void LogFeedFailed(string error);

    [LoggerMessage(EventId = 1144, Level = LogLevel.Debug, Message = "Snapshot feed attempt {Attempt} failed: {Error}")]
    private partial void LogFeedStillFailing(int attempt, string error);

    [LoggerMessage(EventId = 1145, Level = LogLevel.Information, Message = "Reconnected to the control plane's snapshot feed after {Failures} failed attempts")]
    private partial void LogReconnected(int failures);

    [LoggerMessage(EventId = 1146, Level = LogLevel.Information, Message = "The control plane ended the snapshot feed; reconnecting")]
    private partial void LogStreamEnded();

    [LoggerMessage(EventId = 1147, Level = LogLevel.Warning,
        Message = "No snapshot from the control plane within {Seconds} s at start; the feed keeps trying in the background")]
    private partial void LogInitialTimeout(double seconds);

    [LoggerMessage(EventId = 1148, Level = LogLevel.Warning,
        Message = "The control plane's snapshot feed is unreachable at start ({Error}); it keeps trying in the background")]
    private partial void LogInitialFailed(string error);

    [LoggerMessage(EventId = 1149, Level = LogLevel.Warning, Message = "The control plane ended the snapshot feed at start without a snapshot")]
    private partial void LogInitialNone();

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning,
        Message = "The control plane sent revision {Revision}, lower than revision {Applied} already applied (was its database restored?); it is ignored until this proxy restarts")]
    private partial void LogRevisionWentBack(long revision, long applied);
}
