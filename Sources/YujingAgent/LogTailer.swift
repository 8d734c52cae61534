import Foundation
import Logging
import YujingParsing

#if canImport(Glibc)
    import Glibc
#endif

/// Follows the access-log files of every source: discovers files by glob, follows rotation by rename (the open
/// descriptor finishes the old file) and by copytruncate (truncation restarts at 0; the copy continues from the
/// old offset), and cuts lines into batches of events with deterministic ids `<file key>@<start>-<end>`.
///
/// Not thread-safe: owned by one ``LogTailService`` run.
final class LogTailer {
    struct Source {
        let configuration: AccessLogSource
        let parser: AccessLogParser
    }

    /// What a poll produced, in order.
    enum Output {
        /// Events for lines `[start, position.offset)` of one file: the gzip'd request body.
        case batch(id: String, body: [UInt8], count: Int, position: FilePosition)
        /// Lines consumed without events (empty or unparsable).
        case mark(FilePosition)
    }

    let sources: [Source]
    let maxLineBytes: Int
    let maxEvents: Int
    let metrics: AgentMetrics
    let logger: Logger
    let chunkSize: Int
    /// The one read buffer (`chunkSize` bytes), reused by every read.
    let readBuffer: UnsafeMutableBufferPointer<UInt8>
    let encoder: BatchEncoder
    var files: [FileIdentity: TrackedFile] = [:]
    var order: [FileIdentity] = []
    /// Positions from the checkpoint and the spool not yet matched to a file; unmatched ones act as ghosts.
    var resume: [FilePosition]
    var ghosts: [(position: FilePosition, expires: ContinuousClock.Instant)] = []
    var applyStartPosition: Bool
    var parseFailuresLogged = 0
    /// Grace period for a copy whose original is not truncated, and for finishing a renamed-away file.
    let copyGrace = Duration.seconds(2)
    let ghostLifetime = Duration.seconds(60)

    /// - Throws: ``AgentError/encoding(_:)`` when zlib cannot be set up.
    init(
        sources: [AccessLogSource], agentName: String, nodeName: String, maxLineBytes: Int, maxEvents: Int,
        resume: [FilePosition], firstRun: Bool, metrics: AgentMetrics, logger: Logger
    ) throws(AgentError) {
        self.sources = sources.map { source in
            var parse = source.parse
            if parse.node.isEmpty { parse.node = nodeName }
            return Source(configuration: source, parser: AccessLogParser(configuration: parse))
        }
        self.maxLineBytes = maxLineBytes
        self.maxEvents = maxEvents
        self.resume = resume
        self.applyStartPosition = firstRun
        self.metrics = metrics
        self.logger = logger
        self.chunkSize = max(1 << 20, maxLineBytes + 1)
        readBuffer = .allocate(capacity: chunkSize)
        encoder = try BatchEncoder(agent: agentName)
    }

    deinit {
        for file in files.values { file.close() }
        readBuffer.deallocate()
    }

    /// One pass: discover, check truncation, read up to `byteBudget` bytes per file.
    /// - Returns: The outputs, whether a file has more to read, and starting positions chosen by `start_at: end`.
    /// - Throws: ``AgentError/encoding(_:)`` when a batch cannot be gzip'd.
    func poll(byteBudget: Int) throws(AgentError) -> (outputs: [Output], more: Bool, starts: [FilePosition]) {
        let now = ContinuousClock.now
        var seen: [FileIdentity: (path: String, source: Int)] = [:]
        for (index, source) in sources.enumerated() {
            for pattern in source.configuration.paths {
                for path in FileIO.glob(pattern) {
                    guard let info = FileIO.status(path: path), FileIO.isRegular(info) else { continue }
                    let identity = FileIdentity(info)
                    if seen[identity] == nil { seen[identity] = (path, index) }
                }
            }
        }
        for file in files.values {
            if let current = seen[file.identity] {
                file.path = current.path
                file.goneSince = nil
            } else if file.goneSince == nil {
                file.goneSince = now
            }
        }
        for identity in order {
            if let file = files[identity] { checkTruncation(file, now: now) }
        }
        ghosts.removeAll { $0.expires < now }
        let starts = discover(seen.filter { files[$0.key] == nil }, now: now)
        applyStartPosition = false
        resolveCopies(now: now)

        var outputs: [Output] = []
        var more = false
        var lag: UInt64 = 0
        let ordered = order.compactMap { files[$0] }.sorted { ($0.goneSince != nil) && ($1.goneSince == nil) }
        for file in ordered where !file.isPaused {
            if try !read(file, budget: byteBudget, into: &outputs) { more = true }
            lag += file.size > file.offset ? file.size - file.offset : 0
        }
        for file in ordered {
            guard let gone = file.goneSince, !file.isPaused, file.longLine == nil, now - gone >= copyGrace,
                let info = FileIO.status(descriptor: file.descriptor), UInt64(info.st_size) <= file.offset
            else { continue }
            logger.info("finished a rotated-away file", metadata: ["file.path": "\(file.path)"])
            file.close()
            files[file.identity] = nil
            order.removeAll { $0 == file.identity }
        }
        metrics.set(.lagBytes, Int64(lag))
        metrics.set(.filesTracked, Int64(files.count))
        return (outputs, more, starts)
    }

    /// Detects truncation (size below the offset, or first bytes changed) and upgrades short fingerprints.
    func checkTruncation(_ file: TrackedFile, now: ContinuousClock.Instant) {
        guard let info = FileIO.status(descriptor: file.descriptor) else { return }
        let size = UInt64(info.st_size)
        file.size = size
        var truncated = size < file.offset
        if !truncated && file.fingerprint.length > 0 {
            // A read error says nothing about truncation: decide next poll (``read(_:budget:into:)`` counts
            // and logs the error), never start the file over because of it.
            guard let same = file.fingerprint.check(descriptor: file.descriptor) else { return }
            truncated = !same
        }
        if truncated {
            metrics.add(.rotations)
            let old = file.position
            var adopted = false
            for other in files.values {
                if case .copyOf(let origin, _) = other.copyState, origin == file.identity {
                    other.offset = old.offset
                    other.longLine = nil
                    other.copyState = .none
                    adopted = true
                    logger.info(
                        "copytruncate: continuing in the copy",
                        metadata: ["file.path": "\(other.path)", "file.offset": "\(old.offset)"])
                }
            }
            if !adopted { ghosts.append((old, now + ghostLifetime)) }
            logger.info("file truncated: reading from its start", metadata: ["file.path": "\(file.path)"])
            file.fingerprint = FileFingerprint.of(descriptor: file.descriptor)
            file.key = TrackedFile.makeKey(file.identity, file.fingerprint)
            file.offset = 0
            file.longLine = nil
            file.copyState = .none
        } else if file.fingerprint.length < FileFingerprint.standardLength && size > UInt64(file.fingerprint.length),
            let longer = FileFingerprint.readable(descriptor: file.descriptor)
        {
            file.fingerprint = longer
        }
    }

    /// Starts tracking new files: exact checkpoint matches first, then copies of truncated or tailed files,
    /// then `start_at` on the very first poll of the first run, else from the start.
    func discover(_ found: [FileIdentity: (path: String, source: Int)], now: ContinuousClock.Instant) -> [FilePosition] {
        var pending: [(identity: FileIdentity, path: String, source: Int, descriptor: Int32, size: UInt64)] = []
        for (identity, entry) in found.sorted(by: { $0.value.path < $1.value.path }) {
            let descriptor = open(entry.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            guard let info = FileIO.status(descriptor: descriptor), FileIdentity(info) == identity else {
                Glibc.close(descriptor)
                continue
            }
            let size = UInt64(info.st_size)
            // A young file shorter than a fingerprint may be a copy still being written: wait for it.
            let age = Date().timeIntervalSince1970 - (Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
            if !applyStartPosition && size > 0 && size < UInt64(FileFingerprint.standardLength) && age < 1 {
                Glibc.close(descriptor)
                continue
            }
            pending.append((identity, entry.path, entry.source, descriptor, size))
        }
        var rest: [(identity: FileIdentity, path: String, source: Int, descriptor: Int32, size: UInt64)] = []
        for item in pending {
            if let index = resume.firstIndex(where: {
                $0.identity == item.identity && item.size >= $0.offset && $0.fingerprint.matches(descriptor: item.descriptor)
            }) {
                let position = resume.remove(at: index)
                track(item, key: position.key, fingerprint: position.fingerprint, offset: position.offset)
            } else {
                rest.append(item)
            }
        }
        // Checkpoint positions of files that are gone or rewritten may be continued by a copy.
        for position in resume { ghosts.append((position, now + ghostLifetime)) }
        resume.removeAll()
        var starts: [FilePosition] = []
        for item in rest {
            let fingerprint = FileFingerprint.of(descriptor: item.descriptor)
            let key = TrackedFile.makeKey(item.identity, fingerprint)
            // A copy of a truncated file that is still being written (copytruncate while the agent was down): it
            // starts like the gone file but does not yet reach the gone file's offset. Wait for it; tracked now, it
            // would be read from its start and its acknowledged lines sent again under new batch ids.
            if fingerprint.length > 0, Self.isYoung(item.descriptor),
                ghosts.contains(where: {
                    $0.position.fingerprint.length > 0 && item.size < $0.position.offset
                        && $0.position.fingerprint.matches(descriptor: item.descriptor)
                })
            {
                Glibc.close(item.descriptor)
                continue
            }
            if fingerprint.length > 0,
                let index = ghosts.firstIndex(where: {
                    $0.position.fingerprint.length > 0 && item.size >= $0.position.offset
                        && $0.position.fingerprint.matches(descriptor: item.descriptor)
                })
            {
                let ghost = ghosts.remove(at: index).position
                logger.info(
                    "copy of a truncated file: continuing at its offset",
                    metadata: ["file.path": "\(item.path)", "file.offset": "\(ghost.offset)"])
                track(item, key: key, fingerprint: fingerprint, offset: ghost.offset)
            } else if fingerprint.length > 0,
                let original = files.values.first(where: {
                    $0.identity != item.identity && $0.fingerprint.length > 0
                        && $0.fingerprint.matches(descriptor: item.descriptor)
                })
            {
                let file = track(item, key: key, fingerprint: fingerprint, offset: 0)
                file.copyState = .copyOf(original.identity, deadline: now + copyGrace)
                original.copyState = .copied(deadline: now + copyGrace)
                logger.info("copy of a tailed file: waiting for truncation", metadata: ["file.path": "\(item.path)"])
            } else if applyStartPosition && sources[item.source].configuration.startAt == .end {
                let file = track(item, key: key, fingerprint: fingerprint, offset: item.size)
                starts.append(file.position)
            } else {
                track(item, key: key, fingerprint: fingerprint, offset: 0)
            }
        }
        return starts
    }

    /// Whether a file was modified within the last two seconds (a copy may still be being written).
    static func isYoung(_ descriptor: Int32) -> Bool {
        guard let info = FileIO.status(descriptor: descriptor) else { return false }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return Date().timeIntervalSince1970 - modified < 2
    }

    @discardableResult
    func track(
        _ item: (identity: FileIdentity, path: String, source: Int, descriptor: Int32, size: UInt64), key: String,
        fingerprint: FileFingerprint, offset: UInt64
    ) -> TrackedFile {
        let file = TrackedFile(
            source: item.source, key: key, identity: item.identity, fingerprint: fingerprint, path: item.path,
            descriptor: item.descriptor, offset: offset)
        file.size = item.size
        files[item.identity] = file
        order.append(item.identity)
        logger.debug("tailing", metadata: ["file.path": "\(item.path)", "file.offset": "\(offset)"])
        return file
    }

    /// A copy whose original was not truncated within the grace period is a plain copy: skip its content.
    func resolveCopies(now: ContinuousClock.Instant) {
        for file in files.values {
            switch file.copyState {
            case .copyOf(let origin, let deadline) where now >= deadline:
                file.offset = file.size
                file.copyState = .none
                if let original = files[origin], case .copied = original.copyState { original.copyState = .none }
            case .copied(let deadline) where now >= deadline + copyGrace:
                file.copyState = .none
            default:
                break
            }
        }
    }

    /// Reads one file from its offset; returns whether it reached the end of the data.
    /// - Throws: ``AgentError/encoding(_:)`` when a batch cannot be gzip'd (nothing of it is acknowledged, so its
    ///   lines are read again after a restart).
    func read(_ file: TrackedFile, budget: Int, into outputs: inout [Output]) throws(AgentError) -> Bool {
        encoder.begin(at: file.offset)
        var readFrom = file.longLine?.scannedTo ?? file.offset
        var used = 0
        var exhausted = false
        var linesRead: Int64 = 0
        let base = readBuffer.baseAddress!
        while true {
            let count: Int
            do {
                count = try FileIO.read(file.descriptor, at: readFrom, into: readBuffer)
            } catch {
                noteReadError(file, error, at: readFrom)
                exhausted = true
                break
            }
            if let reason = file.readError {
                file.readError = nil
                logger.notice(
                    "reading again after read errors", metadata: ["file.path": "\(file.path)", "previous_error": "\(reason)"])
            }
            guard count > 0 else {
                exhausted = true
                break
            }
            used += count
            let buffer = UnsafeBufferPointer(rebasing: readBuffer[..<count])
            var lineStart = 0
            while lineStart < count, let found = memchr(base + lineStart, 0x0A, count - lineStart) {
                let lineEnd = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                linesRead += 1
                if let long = file.longLine {
                    long.prefix.withUnsafeBufferPointer { emit($0, file: file) }
                    file.longLine = nil
                } else {
                    var end = lineEnd
                    if end > lineStart && base[end - 1] == 0x0D { end -= 1 }
                    if end - lineStart > maxLineBytes {
                        end = lineStart + maxLineBytes
                        noteLongLine(file, at: readFrom + UInt64(lineStart))
                    }
                    emit(UnsafeBufferPointer(rebasing: buffer[lineStart..<end]), file: file)
                }
                lineStart = lineEnd + 1
                file.offset = readFrom + UInt64(lineStart)
                if encoder.count >= maxEvents {
                    try finishBatch(file, into: &outputs)
                    encoder.begin(at: file.offset)
                }
            }
            let rest = count - lineStart
            if file.longLine != nil {
                file.longLine?.scannedTo = readFrom + UInt64(count)
            } else if rest > maxLineBytes {
                file.longLine = (Array(buffer[lineStart..<(lineStart + maxLineBytes)]), readFrom + UInt64(count))
                noteLongLine(file, at: readFrom + UInt64(lineStart))
            }
            readFrom = file.longLine?.scannedTo ?? file.offset
            if count < chunkSize {
                exhausted = true
                break
            }
            if used >= budget { break }
        }
        metrics.add(.linesRead, linesRead)
        if encoder.count > 0 {
            try finishBatch(file, into: &outputs)
        } else if file.offset > encoder.start {
            outputs.append(.mark(file.position))
        }
        return exhausted
    }

    /// Closes the encoder's batch as an output: id `<file key>@<start>-<end>`, the same for the same lines whenever
    /// they are re-sent.
    func finishBatch(_ file: TrackedFile, into outputs: inout [Output]) throws(AgentError) {
        let id = "\(file.key)@\(encoder.start)-\(file.offset)"
        let body = try encoder.finish(batchID: id)
        outputs.append(.batch(id: id, body: body, count: encoder.count, position: file.position))
    }

    /// A failed read: nothing is consumed (the same offset is read again next poll), the failure is counted,
    /// and logged once until reads succeed again, so a failing disk does not flood the log.
    func noteReadError(_ file: TrackedFile, _ error: AgentError, at offset: UInt64) {
        metrics.add(.readErrors)
        guard file.readError == nil else { return }
        file.readError = "\(error)"
        logger.error(
            "cannot read a tailed file: retrying at the same offset",
            metadata: ["file.path": "\(file.path)", "file.offset": "\(offset)", "error": "\(error)"])
    }

    func noteLongLine(_ file: TrackedFile, at offset: UInt64) {
        metrics.add(.linesTruncated)
        logger.info(
            "line longer than max_line_bytes: cut",
            metadata: ["file.path": "\(file.path)", "file.offset": "\(offset)", "max_line_bytes": "\(maxLineBytes)"])
    }

    func emit(_ line: UnsafeBufferPointer<UInt8>, file: TrackedFile) {
        guard !line.isEmpty else { return }
        do {
            let event = try sources[file.source].parser.parse(bytes: line)
            encoder.append(event)
        } catch {
            metrics.add(.parseFailures)
            parseFailuresLogged += 1
            if parseFailuresLogged <= 10 || parseFailuresLogged % 10_000 == 0 {
                logger.info(
                    "line does not parse: skipped",
                    metadata: [
                        "file.path": "\(file.path)", "file.offset": "\(file.offset)", "reason": "\(error)",
                        "parse_failures": "\(parseFailuresLogged)",
                    ])
            }
        }
    }
}
