using System.Globalization;
using System.Text.Json;
using Gateway.Contracts.Usage;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Proxy.Usage;

/// <summary>The spool's segment files: append, fsync behind the writes, open and seal.</summary>
internal sealed partial class UsageSpool
{
    /// <summary>Appends whole lines (the syncer fsyncs them); on failure retries until the disk takes them (a record is never dropped).</summary>
    private async Task AppendAsync(ReadOnlyMemory<byte> lines, int records, bool spilled)
    {
        for (var attempt = 0; ; attempt++)
        {
            SafeFileHandle? full = null;
            var written = false;
            await _fileLock.WaitAsync();
            try
            {
                written = WriteLocked(_segment, lines.Span, records, spilled ? SpoolPaths.Spill : SpoolPaths.Channel, attempt + 1, out full);
            }
            finally
            {
                _fileLock.Release();
            }
            Close(full);
            if (written) return;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 << Math.Min(attempt, 6))), _time);
        }
    }

    /// <summary>
    /// The caller's own append (light load): only when the file lock is free at once and a segment is
    /// open with room for the line, so that the caller never waits, opens a file or seals one (an
    /// fsync); otherwise false and the record goes to the writer. A failed write seals the segment
    /// as the writer does (on that error path the caller fsyncs and closes it), and the record goes
    /// to the writer, which retries it in a new one.
    /// </summary>
    private bool TryAppendDirect(UsageRecord record)
    {
        if (!_fileLock.Wait(0)) return false;
        SafeFileHandle? failed = null;
        try
        {
            if (_segment is not { } segment) return false;
            _direct.ResetWrittenCount();
            WriteLine(_directWriter ??= new Utf8JsonWriter(_direct, LineOptions), _direct, record);
            if (_segmentBytes + _direct.WrittenCount >= _options.SegmentMaxBytes) return false;
            return WriteLocked(segment, _direct.WrittenSpan, 1, SpoolPaths.Direct, 1, out failed);
        }
        finally
        {
            _fileLock.Release();
            Close(failed);
        }
    }

    /// <summary>
    /// Appends lines at the end of the open segment, opening one when <paramref name="segment"/> is
    /// null (caller holds the lock), and counts them. The segment comes back in
    /// <paramref name="detached"/> to be closed (outside the lock) when it is full, or when the write
    /// failed: a failed segment may hold part of the lines, so it is sealed (its torn line is skipped
    /// on reading) and the lines are written again in a new one.
    /// </summary>
    private bool WriteLocked(SafeFileHandle? segment, ReadOnlySpan<byte> lines, int records, string path, int attempt, out SafeFileHandle? detached)
    {
        detached = null;
        try
        {
            RandomAccess.Write(segment ?? Open(), lines, _segmentBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(ex, records, attempt);
            detached = Detach();
            return false;
        }
        _segmentBytes += lines.Length;
        _metrics.Written(records, path);
        if (_segmentBytes >= _options.SegmentMaxBytes) detached = Detach();
        else _syncRequests.Writer.TryWrite(true);
        return true;
    }

    /// <summary>
    /// Fsyncs the open segment behind the writes, outside the lock, so writing goes on meanwhile;
    /// at most once per <see cref="UsageOptions.SyncIntervalMs"/> (writes in between share the next fsync).
    /// </summary>
    private async Task SyncLoopAsync()
    {
        var requests = _syncRequests.Reader;
        var interval = TimeSpan.FromMilliseconds(_options.SyncIntervalMs);
        long lastSync = 0;
        while (await requests.WaitToReadAsync())
        {
            if (interval > TimeSpan.Zero && lastSync != 0)
            {
                var wait = interval - _time.GetElapsedTime(lastSync);
                if (wait > TimeSpan.Zero) // a stop cancels the wait: the last fsync is not delayed
                    await Task.Delay(wait, _time, _syncerStopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            }
            lastSync = _time.GetTimestamp();
            requests.TryRead(out _);
            SafeFileHandle? segment;
            await _fileLock.WaitAsync();
            try
            {
                segment = _segment;
            }
            finally
            {
                _fileLock.Release();
            }
            if (segment is null) continue; // sealed meanwhile: sealing fsyncs
            try
            {
                RandomAccess.FlushToDisk(segment);
                _metrics.Synced();
            }
            catch (ObjectDisposedException)
            {
                // Sealed while syncing: the seal fsynced it.
            }
            catch (IOException ex)
            {
                LogWriteFailed(ex, 0, 1);
            }
        }
    }

    private SafeFileHandle Open()
    {
        _segmentSeq = _nextSeq++;
        var path = Path.Combine(Directory, Prefix + _segmentSeq.ToString("D16", CultureInfo.InvariantCulture) + Extension);
        _segment = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segmentBytes = 0;
        _segmentOpenedAt = _time.GetTimestamp();
        return _segment;
    }

    /// <summary>Takes the open segment out of use (under the lock); from then on the shipper may take it.</summary>
    private SafeFileHandle? Detach()
    {
        var segment = _segment;
        _segment = null;
        _segmentSeq = -1;
        return segment;
    }

    /// <summary>Fsyncs and closes a detached segment (outside the lock, so writing goes on in a new one).</summary>
    private void Close(SafeFileHandle? segment)
    {
        if (segment is null) return;
        try
        {
            RandomAccess.FlushToDisk(segment);
            _metrics.Synced();
        }
        catch (IOException ex)
        {
            LogWriteFailed(ex, 0, 1);
        }
        segment.Dispose();
    }

    /// <summary>Fsyncs and closes the open segment (caller holds the lock).</summary>
    private void Seal() => Close(Detach());
}
