import Foundation
import YujingCore

/// Turns access-log lines into ``AccessEvent``s. Pure: no I/O, no clock; safe to share between tasks.
///
/// The combined-format path is a hand-written byte scanner. Lines that do not parse throw a ``ParseError`` that
/// never quotes the line; callers count them and go on.
public struct AccessLogParser: Sendable {
    /// Everything the parser needs, behind one reference so that copying a parser costs one retain.
    final class Compiled: Sendable {
        let configuration: ParseConfiguration
        let paths: PathClassifier
        let query: QueryScanner
        let node: String
        let defaultOffset: Int
        let remoteUserIsSubject: Bool
        let keepQuery: Bool
        let format: LogFormat

        init(_ configuration: ParseConfiguration) {
            self.configuration = configuration
            paths = PathClassifier(
                datasetPatterns: configuration.datasetPatterns, channelPatterns: configuration.channelPatterns)
            query = QueryScanner(parameters: configuration.subjectParameters)
            node = configuration.node
            defaultOffset = configuration.defaultUTCOffsetMinutes
            remoteUserIsSubject = configuration.remoteUserIsSubject
            keepQuery = configuration.keepQuery
            format = configuration.format
        }
    }

    let compiled: Compiled

    /// The configuration in force.
    public var configuration: ParseConfiguration { compiled.configuration }

    /// Creates a parser.
    /// - Parameter configuration: How to parse.
    public init(configuration: ParseConfiguration = .default) {
        compiled = Compiled(configuration)
    }

    /// Parses one line given as text.
    /// - Parameter line: The line, with or without its line terminator.
    /// - Returns: The event.
    /// - Throws: ``ParseError`` when the line does not parse.
    public func parse(_ line: String) throws(ParseError) -> AccessEvent {
        var text = line
        let result: Result<AccessEvent, ParseError> = text.withUTF8 { bytes in
            do throws(ParseError) {
                return .success(try parse(bytes: bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one line given as UTF-8 bytes (the fast path for file replay).
    /// - Parameter bytes: The line's bytes, with or without `\n`/`\r\n`.
    /// - Returns: The event.
    /// - Throws: ``ParseError`` when the line does not parse.
    public func parse(bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> AccessEvent {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 { end -= 1 }
        var start = 0
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard start < end else { throw .emptyLine }
        switch compiled.format {
        case .combined: return try parseCombined(bytes, start, end)
        case .json: return try parseJSON(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    // MARK: combined

    private func parseCombined(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) throws(ParseError)
        -> AccessEvent
    {
        var i = start
        // remote address
        while i < end, b[i] != 0x20 { i += 1 }
        let ipEnd = i
        guard i < end else { throw .malformed(field: "ip", offset: i) }
        i += 1
        // ident
        while i < end, b[i] != 0x20 { i += 1 }
        guard i < end else { throw .malformed(field: "ident", offset: i) }
        i += 1
        // remote user
        let userStart = i
        while i < end, b[i] != 0x20 { i += 1 }
        let userEnd = i
        guard i < end else { throw .malformed(field: "user", offset: i) }
        i += 1
        // [time]
        guard i < end, b[i] == 0x5B else { throw .malformed(field: "time", offset: i) }
        i += 1
        let timeStart = i
        i = Bytes.find(b, 0x5D, i, end)
        guard i < end else { throw .malformed(field: "time", offset: i) }
        guard
            let time = TimeText.combined(b, timeStart, i, defaultOffset: compiled.defaultOffset)
        else { throw .badTime(field: "time") }
        i += 1
        guard i < end, b[i] == 0x20 else { throw .malformed(field: "request", offset: i) }
        i += 1
        // "request"
        guard i < end, b[i] == 0x22 else { throw .malformed(field: "request", offset: i) }
        i += 1
        let requestStart = i
        guard let requestEnd = Self.closingQuote(b, i, end) else { throw .malformed(field: "request", offset: i) }
        i = requestEnd + 1
        // status
        guard i < end, b[i] == 0x20 else { throw .malformed(field: "status", offset: i) }
        i += 1
        let statusStart = i
        i = Bytes.find(b, 0x20, i, end)
        guard let status = Bytes.unsigned(b, statusStart, i), status < 1000 else {
            throw .malformed(field: "status", offset: statusStart)
        }
        // bytes
        guard i < end else { throw .malformed(field: "bytes", offset: i) }
        i += 1
        let bytesStart = i
        i = Bytes.find(b, 0x20, i, end)
        guard let size = Bytes.unsigned(b, bytesStart, i) else { throw .malformed(field: "bytes", offset: bytesStart) }
        // optional "referer" "user agent"
        var userAgent = ""
        if i < end {
            i += 1
            guard i < end, b[i] == 0x22, let refererEnd = Self.closingQuote(b, i + 1, end) else {
                throw .malformed(field: "referer", offset: i)
            }
            i = refererEnd + 1
            if i + 1 < end, b[i] == 0x20, b[i + 1] == 0x22 {
                // An unterminated user agent (seen in real logs) runs to the end of the line.
                let agentEnd = Self.closingQuote(b, i + 2, end) ?? end
                userAgent = Bytes.string(b, i + 2, agentEnd)
            }
        }
        var event = AccessEvent(
            timeMillis: time, node: compiled.node, clientIP: Bytes.string(b, start, ipEnd), method: "",
            path: "", status: Int(status), bytes: size, userAgent: userAgent)
        fillRequest(&event, b, requestStart, requestEnd)
        if event.subject == nil, compiled.remoteUserIsSubject, userEnd > userStart,
            !(userEnd - userStart == 1 && b[userStart] == 0x2D)
        {
            event.subject = Subject(kind: .user, id: Bytes.string(b, userStart, userEnd))
        }
        return event
    }

    /// Index of the closing `"` at or after `from`, skipping backslash escapes.
    @inline(__always)
    static func closingQuote(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var i = from
        while i < end {
            guard let found = memchr(base + i, 0x22, end - i) else { return nil }
            let index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            // Escaped when preceded by an odd number of backslashes.
            var backslashes = 0
            var k = index - 1
            while k >= from, b[k] == 0x5C {
                backslashes += 1
                k -= 1
            }
            if backslashes % 2 == 0 { return index }
            i = index + 1
        }
        return nil
    }

    /// Splits `METHOD TARGET PROTOCOL` and fills method, path, query, subject, dataset and channel.
    private func fillRequest(_ event: inout AccessEvent, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        var i = Bytes.find(b, 0x20, start, end)
        guard i < end else {
            // Not a request line (e.g. "-" or junk from a scanner): keep it as the path.
            event.path = Bytes.string(b, start, end)
            return
        }
        event.method = Bytes.string(b, start, i)
        i += 1
        let targetStart = i
        i = Bytes.find(b, 0x20, i, end)
        fillTarget(&event, b, targetStart, i)
    }

    static let drillName: [UInt8] = Array("yujing_drill=".utf8)

    /// The value of a `yujing_drill=` query parameter: requests a drill appends to a log carry their drill id.
    static func drillParameter(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let name = drillName
        var i = start
        while i + name.count <= end {
            if (i == start || b[i - 1] == 0x26), b[i] == name[0] {
                var k = 1
                while k < name.count, b[i + k] == name[k] { k += 1 }
                if k == name.count {
                    let valueStart = i + k
                    let valueEnd = Bytes.find(b, 0x26, valueStart, end)
                    guard valueEnd > valueStart, valueEnd - valueStart <= 64 else { return nil }
                    return Bytes.string(b, valueStart, valueEnd)
                }
            }
            i += 1
        }
        return nil
    }

    /// Fills path, query, subject, dataset and channel from a request target `path[?query]`.
    func fillTarget(_ event: inout AccessEvent, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        let pathEnd = Bytes.find(b, 0x3F, start, end)
        event.path = Bytes.string(b, start, pathEnd)
        if pathEnd < end {
            let (subject, redacted) = compiled.query.scan(b, pathEnd + 1, end, keep: compiled.keepQuery)
            if event.subject == nil { event.subject = subject }
            event.query = redacted
            if event.drillID == nil { event.drillID = Self.drillParameter(b, pathEnd + 1, end) }
        }
        let found = compiled.paths.classify(b, start, pathEnd)
        if event.dataset == nil { event.dataset = found.dataset }
        if event.channel == nil { event.channel = found.channel }
        if event.subject == nil, let id = found.subject { event.subject = Subject(kind: .user, id: id) }
    }
}
