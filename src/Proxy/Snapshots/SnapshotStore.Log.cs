namespace Gateway.Proxy.Snapshots;

internal sealed partial class SnapshotStore
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Snapshot revision {Revision} from {Source} applied ({Keys} keys, {Models} models)")]
    private partial void LogApplied(string source, long revision, int keys, int models);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error,
        Message = "Snapshot revision {Revision} from {Source} is invalid at {Field}: {Problem}")]
    private partial void LogInvalidField(string source, long revision, string field, string problem);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error,
        Message = "Snapshot revision {Revision} from {Source} rejected ({Count} problems); the last good snapshot stays in force")]
    private partial void LogRejected(string source, long revision, int count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Snapshot revision {Revision} from {Source} refused: revision {Applied} was already applied from that source")]
    private partial void LogStaleRevision(string source, long revision, long applied);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Snapshot from {Source} could not be read: {Reason}; the last good snapshot stays in force")]
    private partial void LogUnreadable(string source, string reason);
}
