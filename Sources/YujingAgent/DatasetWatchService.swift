import Crypto
import Foundation
import Logging
import ServiceLifecycle
import YujingCore
import YujingDetectors
import YujingFormats

#if canImport(Glibc)
    import Glibc
#endif

/// Polls dataset release folders; a new or changed file, once its size and time stay put for one poll, is
/// hashed (SHA-256) and, unless that content was scanned before, scanned with the same detector as
/// `yujing scan`. Findings go out as finding events (masked samples and keyed hashes only), followed by a
/// `scan_clean` or `scan_complete` event carrying `sha256:<hex>` of the content, so the center knows which
/// version was checked; an unreadable file yields a `scan_error` event.
public struct DatasetWatchService: Service {
    let configuration: AgentConfiguration
    let detector: IdentifierDetector
    let shipper: Shipper
    let metrics: AgentMetrics
    let logger: Logger
    /// Masked samples per kind and file at most.
    static let maxSamples = 5
    /// Keyed hashes per kind and file at most.
    static let maxHashes = 1_000

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: Agent configuration (its `datasets`).
    ///   - detector: The identifier detector, keyed with the installation key.
    ///   - shipper: Where scan batches go.
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    public init(
        configuration: AgentConfiguration, detector: IdentifierDetector, shipper: Shipper, metrics: AgentMetrics,
        logger: Logger
    ) {
        self.configuration = configuration
        self.detector = detector
        self.shipper = shipper
        self.metrics = metrics
        self.logger = logger
    }

    struct Signature: Equatable {
        var size: Int64
        var modified: Int64
    }

    /// Polls until graceful shutdown.
    /// - Throws: `CancellationError` on shutdown while the spool cannot take the batch; ``AgentError`` when a
    ///   batch cannot be gzip'd.
    public func run() async throws {
        var scanned = ScannedHashes(directory: configuration.checkpointDirectory)
        var lastSeen: [String: Signature] = [:]
        var handled: [String: Signature] = [:]
        let scanner = DatasetScanner(detector: detector)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for source in configuration.datasets {
                for path in FileIO.glob(source.glob) {
                    guard let dataset = source.datasetID(for: path), let info = FileIO.status(path: path),
                        FileIO.isRegular(info)
                    else { continue }
                    let signature = Signature(
                        size: Int64(info.st_size),
                        modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
                    defer { lastSeen[path] = signature }
                    guard lastSeen[path] == signature, handled[path] != signature else { continue }
                    handled[path] = signature
                    guard let sha = Self.sha256(path: path) else {
                        metrics.add(.datasetErrors)
                        logger.info("dataset file unreadable", metadata: ["dataset.id": "\(dataset)"])
                        continue
                    }
                    let key = ScannedHashes.key(dataset: dataset, sha256: sha)
                    if scanned.contains(key) {
                        metrics.add(.datasetUnchanged)
                        continue
                    }
                    let body = scan(path: path, dataset: dataset, sha256: sha, scanner: scanner)
                    let batchID = "scan-\(sha.prefix(32))-\(Self.shortHash(dataset + "\n" + path))"
                    try await shipper.enqueue(
                        batchID: batchID, body: try EventEncoder.gzip(body.bytes), position: nil, events: body.events)
                    do {
                        try scanned.insert(key)
                    } catch {
                        // Held in memory and written with the next one; after a restart before that, the file is
                        // scanned again and the center drops the batch by its id.
                        metrics.add(.checkpointSaveErrors)
                        logger.error("cannot save the scanned-hash list", metadata: ["error": "\(error)"])
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(configuration.datasetPollMillis))
        }
    }

    /// Scans one file and encodes the batch.
    func scan(path: String, dataset: String, sha256: String, scanner: DatasetScanner) -> (bytes: [UInt8], events: Int) {
        var samples: [IdentifierKind: [String]] = [:]
        var hashes: [IdentifierKind: Set<String>] = [:]
        let result = scanner.scan(path: path) { finding in
            if samples[finding.kind, default: []].count < Self.maxSamples,
                !(samples[finding.kind]?.contains(finding.masked) ?? false)
            {
                samples[finding.kind, default: []].append(finding.masked)
            }
            if hashes[finding.kind, default: []].count < Self.maxHashes { hashes[finding.kind, default: []].insert(finding.hash) }
        }
        metrics.add(.datasetScans)
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let drill = Self.drillID(path: path)
        // File names can hold identifiers too: only the redacted form leaves the agent.
        let shownPath = detector.redact(path).text
        var writer = JSONWriter(capacity: 4_096)
        var events = 0
        for (kind, count) in result.counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if events > 0 { writer.raw(",") }
            EventEncoder.appendFinding(
                timeMillis: now, dataset: dataset, file: shownPath, kind: kind.rawValue, count: count,
                masked: samples[kind] ?? [], hashes: (hashes[kind] ?? []).sorted(), drill: drill, to: &writer)
            events += 1
        }
        if events > 0 { writer.raw(",") }
        let summaryKind: String
        var reasons: [String] = []
        if let error = result.error {
            metrics.add(.datasetErrors)
            summaryKind = "scan_error"
            reasons = [error.description]
            logger.info(
                "dataset file could not be read", metadata: ["dataset.id": "\(dataset)", "reason": "\(error)"])
        } else {
            summaryKind = result.findingCount == 0 ? "scan_clean" : "scan_complete"
        }
        EventEncoder.appendFinding(
            timeMillis: now, dataset: dataset, file: shownPath, kind: summaryKind, count: result.findingCount,
            masked: reasons, hashes: ["sha256:\(sha256)"], drill: drill, to: &writer)
        events += 1
        logger.info(
            "dataset file scanned",
            metadata: ["dataset.id": "\(dataset)", "findings": "\(result.findingCount)", "scan.result": "\(summaryKind)"])
        let batchID = "scan-\(sha256.prefix(32))-\(Self.shortHash(dataset + "\n" + path))"
        return (EventEncoder.batch(agent: configuration.name, batchID: batchID, events: writer.bytes), events)
    }

    /// The drill a file belongs to: drills drop files named `NAME.yujing-drill-<id>.EXT` into release folders.
    static func drillID(path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let marker = name.range(of: ".yujing-drill-") else { return nil }
        let rest = name[marker.upperBound...]
        let id = rest.prefix { $0 != "." }
        guard !id.isEmpty, id.count <= 64 else { return nil }
        return "drill-" + id.replacingOccurrences(of: "drill-", with: "", options: .anchored)
    }

    static func sha256(path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var hasher = SHA256()
        var offset: UInt64 = 0
        while true {
            guard let chunk = try? FileIO.read(descriptor, at: offset, count: 1 << 20) else { return nil }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            offset += UInt64(chunk.count)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func shortHash(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
