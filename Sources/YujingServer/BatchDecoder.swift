import Foundation
import YujingCore
import YujingStore

/// A hand-written, single-pass decoder for ingest bodies (`{agent, batch_id, events: [...]}`), replacing
/// Foundation's `JSONDecoder` on the hot path (it took a quarter of the daemon's time).
///
/// It reproduces `JSONDecoder`'s observable behaviour, quirks included, so that what is accepted and the field
/// named when a batch is rejected do not change:
/// - Syntax is checked for the whole body before any field error is reported (`body: not valid JSON`). Values
///   that are never decoded (unknown fields, fields an event type does not use, events after the first bad one)
///   are only scanned: their strings are not validated, numbers only need to start like a number.
/// - Values that are decoded are strict: escapes, `\uXXXX` with surrogate pairs, UTF-8, control characters;
///   integers may be written `1.0` or `1e2` but must be exact and in range (otherwise `body: not valid JSON`).
/// - Trailing commas in objects and arrays are accepted, a leading byte-order mark is skipped, nesting is limited
///   to 512 levels, and a duplicated key keeps its first value.
/// - Field errors are reported in the order the Codable decoder checked them (`agent`, `batch_id`, then each event:
///   `type`, `time`, `drill`, then the type's fields), with the same texts (`events[3].time: expected RFC 3339
///   time or epoch milliseconds`, `events[0].ip: missing`, `events[2].status: expected Int`).
struct BatchDecoder {
    /// The scanner hit malformed JSON.
    struct Malformed: Error {}

    /// A value located in the body; decoded only when needed.
    struct Value {
        enum Kind: UInt8 {
            case missing, string, number, null, bool, array, object
        }
        var kind: Kind = .missing
        /// First byte of the value (after the opening quote for strings).
        var start = 0
        /// One past the last byte (before the closing quote for strings).
        var end = 0
        /// A string holding a backslash.
        var escaped = false
    }

    /// Keys of an event object that some event type reads.
    enum Field: Int, CaseIterable {
        case type, time, node, ip, subject, subjectKind, method, path, query, dataset, channel, status, bytes
        case userAgent, drill, file, kind, count, agent, maskedSamples, keyedHashes, metrics

        static let texts = [
            "type", "time", "node", "ip", "subject", "subject_kind", "method", "path", "query", "dataset", "channel",
            "status", "bytes", "user_agent", "drill", "file", "kind", "count", "agent", "masked_samples",
            "keyed_hashes", "metrics",
        ]
        static let names: [[UInt8]] = texts.map { Array($0.utf8) }

        var name: String { Self.texts[rawValue] }
    }

    /// Keys of the batch object.
    enum TopField: Int, CaseIterable {
        case agent, batchID, events

        static let names: [[UInt8]] = [Array("agent".utf8), Array("batch_id".utf8), Array("events".utf8)]
    }

    /// Where a value sits, for error texts (built only when an error is reported).
    struct Location {
        /// Event index, or -1 for a field of the batch object.
        var index: Int
        var field: String

        var path: String { index < 0 ? field : "events[\(index)].\(field)" }
    }

    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// The first field error, in decoding order; reported only if the whole body is well-formed.
    var fieldError: String?
    /// Events decoded so far (until the first field error).
    var items: [IngestItem] = []
    /// Indexes into `items` of findings and heartbeats without their own `agent` (filled in at the end).
    var needsAgent: [Int] = []
    /// Last string decoded per field, reused when the next event carries the same bytes (node, method, user agent…).
    var recent: [(start: Int, count: Int, text: String)]

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        recent = Array(repeating: (0, -1, ""), count: Field.allCases.count)
    }

    /// Decodes a body.
    /// - Parameter body: The body bytes.
    /// - Returns: The batch.
    /// - Throws: ``ServerError/invalidBatch(_:)`` naming the field, or `body: not valid JSON`.
    static func decode(_ body: UnsafeRawBufferPointer) throws(ServerError) -> IngestBatch {
        let result: Result<IngestBatch, ServerError> = body.withMemoryRebound(to: UInt8.self) { buffer in
            var decoder = BatchDecoder(buffer)
            do {
                return .success(try decoder.batch())
            } catch let error as ServerError {
                return .failure(error)
            } catch {
                return .failure(.invalidBatch("body: not valid JSON"))
            }
        }
        return try result.get()
    }

    // MARK: - Batch

    mutating func batch() throws -> IngestBatch {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        var top = [Value](repeating: Value(), count: TopField.allCases.count)
        var topIsObject = false
        var topKind = Value.Kind.missing
        var topKeyError = false
        if peek() == UInt8(ascii: "{") {
            topIsObject = true
            try object { decoder, keyStart, keyEnd, escaped in
                guard let key = decoder.key(keyStart, keyEnd, escaped, TopField.names) else {
                    if !decoder.validKey(keyStart, keyEnd, escaped) { topKeyError = true }
                    try decoder.skipValue()
                    return
                }
                if key == TopField.events.rawValue, top[key].kind == .missing, decoder.peek() == UInt8(ascii: "[") {
                    let start = decoder.position
                    try decoder.events()
                    top[key] = Value(kind: .array, start: start, end: decoder.position)
                } else if top[key].kind == .missing {
                    top[key] = try decoder.scanValue()
                } else {
                    try decoder.skipValue()
                }
            }
        } else {
            topKind = try scanValue().kind
        }
        skipWhitespace()
        guard position == bytes.count else { throw Malformed() }
        // Field checks, in the order the Codable decoder made them.
        guard topIsObject else {
            if topKind == .null { throw ServerError.invalidBatch("body: expected Dictionary<String, Any>, found null") }
            throw ServerError.invalidBatch("body: expected Dictionary<String, Any>")
        }
        if topKeyError { throw ServerError.invalidBatch("body: not valid JSON") }
        let agent = try requiredString(top[TopField.agent.rawValue], Location(index: -1, field: "agent"), nil)
        let batchID = try requiredString(top[TopField.batchID.rawValue], Location(index: -1, field: "batch_id"), nil)
        guard !agent.isEmpty else { throw ServerError.invalidBatch("agent: must not be empty") }
        guard !batchID.isEmpty, batchID.utf8.count <= 200 else {
            throw ServerError.invalidBatch("batch_id: 1 to 200 bytes")
        }
        let events = top[TopField.events.rawValue]
        switch events.kind {
        case .missing: throw ServerError.invalidBatch("events: missing")
        case .null: throw ServerError.invalidBatch("events: expected Array<Any>, found null")
        case .array: break
        default: throw ServerError.invalidBatch("events: expected Array<Any>")
        }
        if let fieldError { throw ServerError.invalidBatch(fieldError) }
        for index in needsAgent {
            switch items[index] {
            case .finding(var finding):
                finding.event.agent = agent
                items[index] = .finding(finding)
            case .heartbeat(var heartbeat):
                heartbeat.agent = agent
                items[index] = .heartbeat(heartbeat)
            case .access: break
            }
        }
        return IngestBatch(agent: agent, batchID: batchID, items: items)
    }

    /// The `events` array: each element is scanned, then decoded while no field error has been met.
    mutating func events() throws {
        var index = 0
        var slots = [Value](repeating: Value(), count: Field.allCases.count)
        items.reserveCapacity(min(bytes.count / 64, 100_000))
        try array { decoder in
            defer { index += 1 }
            guard decoder.fieldError == nil else {
                try decoder.skipValue()
                return
            }
            guard decoder.peek() == UInt8(ascii: "{") else {
                let kind = try decoder.scanValue().kind
                decoder.fieldError =
                    kind == .null
                    ? "events[\(index)]: expected Dictionary<String, Any>, found null"
                    : "events[\(index)]: expected Dictionary<String, Any>"
                return
            }
            for i in slots.indices { slots[i].kind = .missing }
            var keyError = false
            try decoder.object { decoder, keyStart, keyEnd, escaped in
                guard let key = decoder.key(keyStart, keyEnd, escaped, Field.names) else {
                    if !decoder.validKey(keyStart, keyEnd, escaped) { keyError = true }
                    try decoder.skipValue()
                    return
                }
                if slots[key].kind == .missing {
                    slots[key] = try decoder.scanValue()
                } else {
                    try decoder.skipValue()
                }
            }
            if keyError {
                decoder.fieldError = "body: not valid JSON"
                return
            }
            do {
                try decoder.event(slots, index: index)
            } catch let error as ServerError {
                decoder.fieldError = error.description
            } catch {
                // A decoded value that is not valid JSON (bad escape, UTF-8, number): Foundation's error without a path.
                decoder.fieldError = "body: not valid JSON"
            }
        }
    }

    // MARK: - Events

    /// Decodes one event's fields in the Codable decoder's order.
    mutating func event(_ slots: [Value], index: Int) throws {
        func at(_ field: Field) -> Value { slots[field.rawValue] }
        func place(_ field: Field) -> Location { Location(index: index, field: field.name) }
        let type = try requiredString(at(.type), place(.type), .type)
        let time = try time(at(.time), place(.time))
        let drill = try optionalString(at(.drill), place(.drill), .drill)
        switch type {
        case "access":
            let ip = try requiredString(at(.ip), place(.ip), .ip)
            let pathText = try requiredString(at(.path), place(.path), .path)
            var subject: Subject?
            if let id = try optionalString(at(.subject), place(.subject), .subject) {
                let kindText = try optionalString(at(.subjectKind), place(.subjectKind), .subjectKind) ?? "user"
                guard let kind = Subject.Kind(rawValue: kindText) else {
                    throw ServerError.invalidBatch("\(place(.subjectKind).path): expected user, app_key or token")
                }
                subject = Subject(kind: kind, id: id)
            }
            var channel: AccessChannel?
            if let text = try optionalString(at(.channel), place(.channel), .channel) {
                guard let value = AccessChannel(rawValue: text) else {
                    throw ServerError.invalidBatch("\(place(.channel).path): expected download, api or sandbox")
                }
                channel = value
            }
            let status = try optionalInteger(at(.status), place(.status), "Int") ?? 200
            guard (100...599).contains(status) else {
                throw ServerError.invalidBatch("\(place(.status).path): not an HTTP status")
            }
            let byteCount = try optionalInteger(at(.bytes), place(.bytes), "Int64") ?? 0
            guard byteCount >= 0 else { throw ServerError.invalidBatch("\(place(.bytes).path): negative") }
            let node = try optionalString(at(.node), place(.node), .node) ?? ""
            let method = try optionalString(at(.method), place(.method), .method) ?? "GET"
            let query = try optionalString(at(.query), place(.query), .query)
            let dataset = try optionalString(at(.dataset), place(.dataset), .dataset)
            let userAgent = try optionalString(at(.userAgent), place(.userAgent), .userAgent) ?? ""
            items.append(
                .access(
                    AccessEvent(
                        timeMillis: time, node: node, clientIP: ip, subject: subject, method: method, path: pathText,
                        query: query, dataset: dataset, channel: channel, status: Int(status), bytes: byteCount,
                        userAgent: userAgent, drillID: drill)))
        case "finding":
            let dataset = try requiredString(at(.dataset), place(.dataset), .dataset)
            let file = try requiredString(at(.file), place(.file), .file)
            let kind = try requiredString(at(.kind), place(.kind), .kind)
            guard let count = try optionalInteger(at(.count), place(.count), "Int") else {
                let path = place(.count).path
                throw ServerError.invalidBatch(
                    at(.count).kind == .null ? "\(path): expected Int, found null" : "\(path): missing")
            }
            guard count >= 0 else { throw ServerError.invalidBatch("\(place(.count).path): negative") }
            let masked = try strings(at(.maskedSamples), place(.maskedSamples)) ?? []
            let hashes = try strings(at(.keyedHashes), place(.keyedHashes)) ?? []
            let eventAgent = try optionalString(at(.agent), place(.agent), .agent)
            if eventAgent == nil { needsAgent.append(items.count) }
            items.append(
                .finding(
                    StoredFinding(
                        event: FindingEvent(
                            timeMillis: time, agent: eventAgent ?? "", dataset: dataset, file: file, kind: kind,
                            count: Int(count), maskedSamples: masked, drillID: drill),
                        keyedHashes: hashes)))
        case "heartbeat":
            let node = try optionalString(at(.node), place(.node), .node) ?? ""
            let eventAgent = try optionalString(at(.agent), place(.agent), .agent)
            if eventAgent == nil { needsAgent.append(items.count) }
            let metrics = try integerMap(at(.metrics), place(.metrics))
            items.append(
                .heartbeat(
                    HeartbeatEvent(
                        timeMillis: time, agent: eventAgent ?? "", node: node, drillID: drill, metrics: metrics)))
        default:
            throw ServerError.invalidBatch("\(place(.type).path): expected access, finding or heartbeat")
        }
    }

    /// `time`: epoch milliseconds (an exact integer) or RFC 3339 text.
    mutating func time(_ value: Value, _ place: Location) throws -> Int64 {
        if value.kind == .number, let millis = integer(value) { return millis }
        let text = try requiredString(value, place, nil)
        // The Codable decoder's `try? A ?? (try? B)` never reached B (`try?` covered both): the fractional style,
        // which also accepts times without a fraction, is the only parse.
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        throw ServerError.invalidBatch("\(place.path): expected RFC 3339 time or epoch milliseconds")
    }

    // MARK: - Typed values

    mutating func requiredString(_ value: Value, _ place: Location, _ field: Field?) throws -> String {
        switch value.kind {
        case .missing: throw ServerError.invalidBatch("\(place.path): missing")
        case .null: throw ServerError.invalidBatch("\(place.path): expected String, found null")
        case .string: return try string(value, field)
        default: throw ServerError.invalidBatch("\(place.path): expected String")
        }
    }

    mutating func optionalString(_ value: Value, _ place: Location, _ field: Field) throws -> String? {
        switch value.kind {
        case .missing, .null: return nil
        case .string: return try string(value, field)
        default: throw ServerError.invalidBatch("\(place.path): expected String")
        }
    }

    func optionalInteger(_ value: Value, _ place: Location, _ typeName: String) throws -> Int64? {
        switch value.kind {
        case .missing, .null: return nil
        case .number:
            guard let number = integer(value) else { throw ServerError.invalidBatch("body: not valid JSON") }
            return number
        default: throw ServerError.invalidBatch("\(place.path): expected \(typeName)")
        }
    }

    /// A `[String]` (masked samples, keyed hashes); `nil` when missing or null.
    /// An object of integers (a heartbeat's agent metrics), as `[String: Int64]` decodes.
    func integerMap(_ value: Value, _ place: Location) throws -> [String: Int64]? {
        switch value.kind {
        case .missing, .null: return nil
        case .object: break
        default: throw ServerError.invalidBatch("\(place.path): expected Dictionary<String, Any>")
        }
        var reader = BatchDecoder(UnsafeBufferPointer(rebasing: bytes[..<value.end]))
        reader.position = value.start
        var members: [(key: Value, value: Value)] = []
        try reader.object { reader, keyStart, keyEnd, escaped in
            members.append((Value(kind: .string, start: keyStart, end: keyEnd, escaped: escaped), try reader.scanValue()))
        }
        var out: [String: Int64] = [:]
        for member in members {
            let key = try decodeString(member.key)
            switch member.value.kind {
            case .number:
                guard let number = integer(member.value) else {
                    throw ServerError.invalidBatch("\(place.path).\(key): expected Int64")
                }
                if out[key] == nil { out[key] = number }
            case .null: throw ServerError.invalidBatch("\(place.path).\(key): expected Int64, found null")
            default: throw ServerError.invalidBatch("\(place.path).\(key): expected Int64")
            }
        }
        return out
    }

    func strings(_ value: Value, _ place: Location) throws -> [String]? {
        switch value.kind {
        case .missing, .null: return nil
        case .array: break
        default: throw ServerError.invalidBatch("\(place.path): expected Array<Any>")
        }
        var reader = BatchDecoder(UnsafeBufferPointer(rebasing: bytes[..<value.end]))
        reader.position = value.start
        var elements: [Value] = []
        try reader.array { reader in elements.append(try reader.scanValue()) }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            switch element.kind {
            case .string: out.append(try decodeString(element))
            case .null: throw ServerError.invalidBatch("\(place.path)[\(index)]: expected String, found null")
            default: throw ServerError.invalidBatch("\(place.path)[\(index)]: expected String")
            }
        }
        return out
    }

    /// An exact integer: `-?digits` fast, otherwise `1.0`, `1e2`… through `Double` as Foundation does.
    func integer(_ value: Value) -> Int64? {
        var i = value.start
        let end = value.end
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let digitsStart = i
        var magnitude: UInt64 = 0
        var overflow = false
        while i < end, bytes[i] &- 0x30 < 10 {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[i] &- 0x30))
            overflow = overflow || o1 || o2
            magnitude = sum
            i += 1
        }
        let digitCount = i - digitsStart
        guard digitCount > 0, !(digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
        if i == end {
            guard !overflow else { return nil }
            return Self.signed(magnitude, negative)
        }
        // Fraction and exponent: validate the grammar, then either an all-zero fraction or a Double.
        var allZeroFraction = true
        var hasExponent = false
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < end, bytes[i] &- 0x30 < 10 {
                if bytes[i] != UInt8(ascii: "0") { allZeroFraction = false }
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let exponentStart = i
            while i < end, bytes[i] &- 0x30 < 10 { i += 1 }
            guard i > exponentStart else { return nil }
        }
        guard i == end else { return nil }
        if !hasExponent, allZeroFraction {
            guard !overflow else { return nil }
            return Self.signed(magnitude, negative)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[value.start..<end]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else { return nil }
        return Int64(exactly: double)
    }

    static func signed(_ magnitude: UInt64, _ negative: Bool) -> Int64? {
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return .min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A decoded string value: escapes resolved, UTF-8 and control characters checked.
    mutating func string(_ value: Value, _ field: Field?) throws -> String {
        let count = value.end - value.start
        if let field, !value.escaped {
            let cached = recent[field.rawValue]
            if cached.count == count, sameBytes(cached.start, value.start, count) { return cached.text }
        }
        let text = try decodeString(value)
        if let field, !value.escaped { recent[field.rawValue] = (value.start, count, text) }
        return text
    }

    func decodeString(_ value: Value) throws -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[value.start..<value.end])
        if !value.escaped {
            var ascii = true
            for byte in raw {
                if byte < 0x20 { throw Malformed() }
                if byte >= 0x80 { ascii = false }
            }
            if ascii { return String(decoding: raw, as: UTF8.self) }
            guard let text = String(validating: raw, as: UTF8.self) else { throw Malformed() }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            if byte < 0x20 { throw Malformed() }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw Malformed() }
            let escape = raw[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try Self.hex4(raw, i)
                i += 4
                if scalar >= 0xD800, scalar < 0xDC00 {
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") else {
                        throw Malformed()
                    }
                    let low = try Self.hex4(raw, i + 2)
                    guard low >= 0xDC00, low < 0xE000 else { throw Malformed() }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    throw Malformed()
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }
                UTF8.encode(unicode) { out.append($0) }
            default: throw Malformed()
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw Malformed() }
        return text
    }

    static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) throws -> UInt32 {
        guard at + 4 <= raw.count else { throw Malformed() }
        var result: UInt32 = 0
        for k in at..<(at + 4) {
            let byte = raw[k]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Malformed()
            }
            result = result << 4 | UInt32(digit)
        }
        return result
    }

    /// Whether two ranges of the body hold the same bytes.
    @inline(__always)
    func sameBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        guard a != b else { return true }
        guard let base = bytes.baseAddress else { return count == 0 }
        return memcmp(base + a, base + b, count) == 0
    }

    // MARK: - Keys

    /// Index of a known key, comparing raw bytes (or the unescaped key when it holds escapes).
    func key(_ start: Int, _ end: Int, _ escaped: Bool, _ names: [[UInt8]]) -> Int? {
        if escaped {
            guard let text = try? decodeString(Value(kind: .string, start: start, end: end, escaped: true)) else {
                return nil
            }
            let utf8 = Array(text.utf8)
            return names.firstIndex(of: utf8)
        }
        let count = end - start
        for (index, name) in names.enumerated() where name.count == count {
            var k = 0
            while k < count, name[k] == bytes[start + k] { k += 1 }
            if k == count { return index }
        }
        return nil
    }

    /// Whether an unknown key would decode (Foundation decodes every key of the objects it reads).
    func validKey(_ start: Int, _ end: Int, _ escaped: Bool) -> Bool {
        (try? decodeString(Value(kind: .string, start: start, end: end, escaped: escaped))) != nil
    }

    // MARK: - Scanning

    @inline(__always)
    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Scans an object, calling `member` positioned at each value (after the colon and whitespace).
    mutating func object(
        _ member: (inout BatchDecoder, _ keyStart: Int, _ keyEnd: Int, _ escaped: Bool) throws -> Void
    ) throws {
        position += 1  // {
        depth += 1
        guard depth <= Self.maximumDepth else { throw Malformed() }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try scanString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Malformed() }
            position += 1
            skipWhitespace()
            try member(&self, key.start, key.end, key.escaped)
            skipWhitespace()
            guard let next = peek() else { throw Malformed() }
            position += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {  // trailing comma, accepted by Foundation
                position += 1
                break
            }
        }
        depth -= 1
    }

    /// Scans an array, calling `element` positioned at each element.
    mutating func array(_ element: (inout BatchDecoder) throws -> Void) throws {
        position += 1  // [
        depth += 1
        guard depth <= Self.maximumDepth else { throw Malformed() }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard let next = peek() else { throw Malformed() }
            position += 1
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {  // trailing comma, accepted by Foundation
                position += 1
                break
            }
        }
        depth -= 1
    }

    /// Scans a string (positioned at its opening quote) without decoding it.
    @inline(__always)
    mutating func scanString() throws -> Value {
        position += 1
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let value = Value(kind: .string, start: start, end: position, escaped: escaped)
                position += 1
                return value
            }
            if byte == UInt8(ascii: "\\") {
                // As Foundation's scanner: `\u` takes four more bytes (checked only when the string is decoded).
                escaped = true
                position += position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "u") ? 6 : 2
            } else {
                position += 1
            }
        }
        throw Malformed()
    }

    /// Scans any value and says where it is.
    mutating func scanValue() throws -> Value {
        guard let first = peek() else { throw Malformed() }
        let start = position
        switch first {
        case UInt8(ascii: "\""): return try scanString()
        case UInt8(ascii: "{"):
            try object { decoder, _, _, _ in try decoder.skipValue() }
            return Value(kind: .object, start: start, end: position)
        case UInt8(ascii: "["):
            try array { decoder in try decoder.skipValue() }
            return Value(kind: .array, start: start, end: position)
        case UInt8(ascii: "t"):
            try literal("true")
            return Value(kind: .bool, start: start, end: position)
        case UInt8(ascii: "f"):
            try literal("false")
            return Value(kind: .bool, start: start, end: position)
        case UInt8(ascii: "n"):
            try literal("null")
            return Value(kind: .null, start: start, end: position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            position += 1
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                    UInt8(ascii: "+"), UInt8(ascii: "-"):
                    position += 1
                default:
                    return Value(kind: .number, start: start, end: position)
                }
            }
            return Value(kind: .number, start: start, end: position)
        default:
            throw Malformed()
        }
    }

    mutating func skipValue() throws { _ = try scanValue() }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw Malformed() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count where bytes[position + k] != expected[k] { throw Malformed() }
        position += count
    }
}
