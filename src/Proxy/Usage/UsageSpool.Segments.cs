using System.Buffers;
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
                var segment = _segment ?? Open();
                RandomAccess.Write(segment, lines.Span, _segmentBytes);
                _segmentBytes += lines.Length;
                written = true;
                _metrics.Written(records, spilled ? SpoolPaths.Spill : SpoolPaths.Channel);
                if (_segmentBytes >= _options.SegmentMaxBytes) full = Detach();
                else _syncRequests.Writer.TryWrite(true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(ex, records, attempt + 1);
                // A failed segment may hold part of the batch: seal it (its torn line is skipped on reading) and retry in a new one.
                full = Detach();
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
            var writer = _directWriter ??= new Utf8JsonWriter(_direct, new JsonWriterOptions { SkipValidation = true });
            writer.Reset(_direct);
            JsonSerializer.Serialize(writer, record, UsageJsonContext.Default.UsageRecord);
            writer.Flush();
            _direct.Write("\n"u8);
            if (_segmentBytes + _direct.WrittenCount >= _options.SegmentMaxBytes) return false;
            try
            {
                RandomAccess.Write(segment, _direct.WrittenSpan, _segmentBytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(ex, 1, 1);
                failed = Detach();
                return false;
            }
            _segmentBytes += _direct.WrittenCount;
            _metrics.Written(1, SpoolPaths.Direct);
            _syncRequests.Writer.TryWrite(true);
            return true;
        }
        finally
        {
            _fileLock.Release();
            Close(failed);
        }
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
