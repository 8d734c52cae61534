import Foundation

/// Counters and gauges of one agent, shared by its services; sent in every heartbeat and logged.
// @unchecked Sendable: every stored property is guarded by `lock`; this avoids `Synchronization.Mutex`, whose
// availability (macOS 15) is above the package's macOS 14 floor.
public final class AgentMetrics: @unchecked Sendable {
    /// Counter and gauge names.
    public enum Name: String, Sendable, CaseIterable {
        /// Lines read from access logs.
        case linesRead = "lines_read"
        /// Lines that did not parse (counted, never fatal).
        case parseFailures = "parse_failures"
        /// Lines cut at `max_line_bytes`.
        case linesTruncated = "lines_truncated"
        /// Events the center acknowledged.
        case eventsAcknowledged = "events_acknowledged"
        /// Batches the center acknowledged.
        case batchesAcknowledged = "batches_acknowledged"
        /// Acknowledged batches the center had already stored (re-sent after a restart).
        case batchesDuplicate = "batches_duplicate"
        /// Batches the center refused for good (400/413); their lines are logged by position and skipped.
        case batchesRejected = "batches_rejected"
        /// Spooled batches whose file was gone or corrupt when it was to be sent; logged with their position.
        case batchesLost = "batches_lost"
        /// Reads of spool files that failed for a while (too many open files, I/O errors); retried with backoff.
        case spoolReadErrors = "spool_read_errors"
        /// Failed writes of batch files to the spool (disk full, read-only); retried with backoff while reading waits.
        case spoolWriteErrors = "spool_write_errors"
        /// Failed saves of the checkpoint or the scanned-hash list (disk full); retried, what they hold stays in memory.
        case checkpointSaveErrors = "checkpoint_save_errors"
        /// Failed send attempts (retried).
        case sendFailures = "send_failures"
        /// Bytes in the spool (gauge).
        case spoolBytes = "spool_bytes"
        /// Batches in the spool (gauge).
        case spoolBatches = "spool_batches"
        /// 1 while reading is paused because the spool is full (gauge).
        case backpressure = "backpressure"
        /// Bytes written to tailed files but not yet read (gauge).
        case lagBytes = "lag_bytes"
        /// Files being tailed (gauge).
        case filesTracked = "files_tracked"
        /// Rotations and truncations followed.
        case rotations = "rotations"
        /// Failed reads of tailed files (EIO and the like); the read is retried at the same offset next poll.
        case readErrors = "read_errors"
        /// Dataset files scanned.
        case datasetScans = "dataset_scans"
        /// Dataset files skipped because their content hash was scanned before.
        case datasetUnchanged = "dataset_unchanged"
        /// Dataset files that could not be read.
        case datasetErrors = "dataset_errors"
        /// Enforcement documents applied (a new version, or a retry after a failure).
        case enforcementApplies = "enforcement_applies"
        /// Failed fetches of the enforcement document or failed report posts (retried next poll).
        case enforcementFetchFailures = "enforcement_fetch_failures"
        /// Successful nginx reloads with new includes.
        case nginxReloads = "nginx_reloads"
        /// Include updates rolled back because the test or the reload failed.
        case nginxFailures = "nginx_failures"
        /// Dataset files moved into quarantine.
        case filesQuarantined = "files_quarantined"
        /// Dataset files moved back from quarantine.
        case filesRestored = "files_restored"
        /// Files that could not be moved into or out of quarantine.
        case quarantineFailures = "quarantine_failures"
    }

    private let lock = NSLock()
    private var values: [Name: Int64] = [:]

    /// Creates zeroed metrics.
    public init() {}

    /// Adds to a counter.
    /// - Parameters:
    ///   - name: The counter.
    ///   - amount: The increment.
    public func add(_ name: Name, _ amount: Int64 = 1) {
        guard amount != 0 else { return }
        lock.lock()
        values[name, default: 0] += amount
        lock.unlock()
    }

    /// Sets a gauge.
    /// - Parameters:
    ///   - name: The gauge.
    ///   - value: The value.
    public func set(_ name: Name, _ value: Int64) {
        lock.lock()
        values[name] = value
        lock.unlock()
    }

    /// The current value.
    /// - Parameter name: Counter or gauge.
    /// - Returns: The value.
    public func value(_ name: Name) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return values[name] ?? 0
    }

    /// All values by name.
    /// - Returns: A snapshot.
    public func snapshot() -> [String: Int64] {
        lock.lock()
        defer { lock.unlock() }
        var out: [String: Int64] = [:]
        for name in Name.allCases { out[name.rawValue] = values[name] ?? 0 }
        return out
    }
}
