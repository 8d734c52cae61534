import Foundation
import Testing
import YujingCore
import YujingServer
import YujingStore
import YujingTestSupport

/// The hand-written ingest decoder: explicit expectations, then differential checks against the Codable decoder
/// it replaced (``ReferenceDecoder``) on hand-made variants, every prefix of a body and seeded random mutations.
@Suite struct BatchDecoderTests {
    static let access =
        #"{"type":"access","time":1772352000000,"node":"web-1","ip":"10.0.0.1","subject":"AK0000000001abcdef","#
        + #""subject_kind":"app_key","method":"GET","path":"/api/v1/datasets/ds-1/download","query":"a=1&b=2","#
        + #""dataset":"ds-1","channel":"download","status":206,"bytes":20480,"user_agent":"python-requests/2.31","#
        + #""drill":"drill-7"}"#
    static let finding =
        #"{"type":"finding","time":"2026-03-01T08:00:00.250+08:00","dataset":"ds-9","file":"ds-9.csv","#
        + #""kind":"cn_resident_id","count":3,"masked_samples":["110101********1234","x"],"keyed_hashes":["ab12"]}"#
    static let heartbeat = #"{"type":"heartbeat","time":"2026-03-01T08:00:00Z","node":"n1","agent":"other"}"#

    static func body(_ events: [String], agent: String = #""a1""#, batch: String = #""b1""#) -> String {
        #"{"agent":\#(agent),"batch_id":\#(batch),"events":[\#(events.joined(separator: ","))]}"#
    }

    /// The new decoder's outcome in the reference's terms.
    static func decoded(_ bytes: [UInt8]) -> DecodeOutcome {
        do {
            return .success(try IngestBatch.decode(Data(bytes)))
        } catch {
            return .failure(error.description)
        }
    }

    /// Both decoders agree: same batch, or same error text.
    static func agree(_ bytes: [UInt8], _ comment: Comment? = nil) -> Bool {
        let mine = decoded(bytes)
        let reference = ReferenceDecoder.decode(Data(bytes))
        let same: Bool
        switch (mine, reference) {
        case (.success(let a), .success(let b)):
            same = a.agent == b.agent && a.batchID == b.batchID && a.items == b.items
        case (.failure(let a), .failure(let b)):
            same = a == b
        default:
            same = false
        }
        if !same {
            let label = comment.map { "\($0): " } ?? ""
            let input = String(decoding: bytes, as: UTF8.self).prefix(400)
            Issue.record("\(label)\(input)\n  new:       \(mine)\n  reference: \(reference)")
        }
        return same
    }

    static func agree(_ text: String, _ comment: Comment? = nil) -> Bool { agree(Array(text.utf8), comment) }

    // MARK: - Expectations

    @Test func decodesEveryFieldOfEveryEventType() throws {
        let batch = try IngestBatch.decode(Data(Self.body([Self.access, Self.finding, Self.heartbeat]).utf8))
        #expect(batch.agent == "a1")
        #expect(batch.batchID == "b1")
        #expect(
            batch.items[0]
                == .access(
                    AccessEvent(
                        timeMillis: 1_772_352_000_000, node: "web-1", clientIP: "10.0.0.1",
                        subject: Subject(kind: .appKey, id: "AK0000000001abcdef"), method: "GET",
                        path: "/api/v1/datasets/ds-1/download", query: "a=1&b=2", dataset: "ds-1", channel: .download,
                        status: 206, bytes: 20480, userAgent: "python-requests/2.31", drillID: "drill-7")))
        #expect(
            batch.items[1]
                == .finding(
                    StoredFinding(
                        event: FindingEvent(
                            timeMillis: 1_772_323_200_250, agent: "a1", dataset: "ds-9", file: "ds-9.csv",
                            kind: "cn_resident_id", count: 3, maskedSamples: ["110101********1234", "x"]),
                        keyedHashes: ["ab12"])))
        #expect(
            batch.items[2] == .heartbeat(HeartbeatEvent(timeMillis: 1_772_352_000_000, agent: "other", node: "n1")))
        #expect(Self.agree(Self.body([Self.access, Self.finding, Self.heartbeat])))
    }

    @Test func defaultsApplyToAbsentAndNullFields() throws {
        let minimal = #"{"type":"access","time":5,"ip":"1.2.3.4","path":"/","status":null,"subject":"u1"}"#
        let batch = try IngestBatch.decode(Data(Self.body([minimal]).utf8))
        #expect(
            batch.items
                == [
                    .access(
                        AccessEvent(timeMillis: 5, clientIP: "1.2.3.4", subject: Subject(kind: .user, id: "u1"), path: "/"))
                ])
        #expect(Self.agree(Self.body([minimal])))
    }

    @Test func resolvesEscapesAndSurrogatePairs() throws {
        let path = #""\/a\\b\"c\n\t\r\b\f\u00e9\u4E2D\ud83d\ude00\u0000z""#
        let event = #"{"type":"access","time":1,"ip":"i","path":\#(path)}"#
        let batch = try IngestBatch.decode(Data(Self.body([event]).utf8))
        guard case .access(let access) = try #require(batch.items.first) else {
            Issue.record("not an access event")
            return
        }
        #expect(access.path == "/a\\b\"c\n\t\r\u{8}\u{C}é中😀\u{0}z")
        #expect(Self.agree(Self.body([event])))
        // Raw UTF-8 passes through unchanged.
        let raw = #"{"type":"access","time":1,"ip":"i","path":"/数据/😀"}"#
        #expect(try IngestBatch.decode(Data(Self.body([raw]).utf8)).items.count == 1)
        #expect(Self.agree(Self.body([raw])))
    }

    @Test func rejectsBadEscapesAndEncodingsInDecodedStrings() {
        for bad in [#""\ud800""#, #""\udc00x""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\x""#, #""\u12""#, #""\uZZZZ""#] {
            let body = Self.body([#"{"type":"access","time":1,"ip":"i","path":\#(bad)}"#])
            #expect(Self.decoded(Array(body.utf8)).failureText == "body: not valid JSON", "\(bad)")
            #expect(Self.agree(body))
        }
        for bytes: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x09]] {
            let body =
                Array(#"{"agent":"a","batch_id":"b","events":[{"type":"access","time":1,"ip":"i","path":""#.utf8)
                + bytes + Array(#""}]}"#.utf8)
            #expect(Self.decoded(body).failureText == "body: not valid JSON", "\(bytes)")
            #expect(Self.agree(body))
        }
    }

    @Test func namesTheFirstBadFieldAndRejectsTheWholeBatch() {
        let good = #"{"type":"access","time":1,"ip":"i","path":"/"}"#
        let cases: [(String, String)] = [
            (#"{"type":"access","time":"yesterday","ip":"i","path":"/"}"#,
             "events[1].time: expected RFC 3339 time or epoch milliseconds"),
            (#"{"type":"access","time":1,"path":"/"}"#, "events[1].ip: missing"),
            (#"{"type":"access","time":1,"ip":null,"path":"/"}"#, "events[1].ip: expected String, found null"),
            (#"{"type":"access","time":1,"ip":7,"path":"/"}"#, "events[1].ip: expected String"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","status":"200"}"#, "events[1].status: expected Int"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","status":99}"#, "events[1].status: not an HTTP status"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","bytes":-1}"#, "events[1].bytes: negative"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","bytes":true}"#, "events[1].bytes: expected Int64"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","subject":"s","subject_kind":"cat"}"#,
             "events[1].subject_kind: expected user, app_key or token"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","channel":"web"}"#,
             "events[1].channel: expected download, api or sandbox"),
            (#"{"type":"access","time":1.5,"ip":"i","path":"/"}"#, "events[1].time: expected String"),
            (#"{"type":"access","ip":"i","path":"/"}"#, "events[1].time: missing"),
            (#"{"type":"visit","time":1}"#, "events[1].type: expected access, finding or heartbeat"),
            (#"{"time":1}"#, "events[1].type: missing"),
            (#"{"type":"finding","time":1,"dataset":"d","file":"f","kind":"k"}"#, "events[1].count: missing"),
            (#"{"type":"finding","time":1,"dataset":"d","file":"f","kind":"k","count":-2}"#,
             "events[1].count: negative"),
            (#"{"type":"finding","time":1,"dataset":"d","file":"f","kind":"k","count":1,"masked_samples":"x"}"#,
             "events[1].masked_samples: expected Array<Any>"),
            (#"{"type":"finding","time":1,"dataset":"d","file":"f","kind":"k","count":1,"keyed_hashes":["a",null]}"#,
             "events[1].keyed_hashes[1]: expected String, found null"),
            (#"{"type":"access","time":1,"ip":"i","path":"/","status":200.5}"#, "body: not valid JSON"),
        ]
        for (event, expected) in cases {
            let body = Self.body([good, event, #"{"type":"nonsense"}"#])
            #expect(Self.decoded(Array(body.utf8)).failureText == expected, "\(event)")
            #expect(Self.agree(body))
        }
        #expect(Self.decoded(Array(Self.body([good], agent: #""""#).utf8)).failureText == "agent: must not be empty")
        #expect(Self.decoded(Array(Self.body([good], batch: "3").utf8)).failureText == "batch_id: expected String")
        #expect(Self.decoded(Array(#"{"agent":"a","batch_id":"b"}"#.utf8)).failureText == "events: missing")
    }

    @Test func ignoresUnknownFieldsOfAnyShape() throws {
        let event =
            #"{"extra":{"deep":[1,2,{"x":null}],"s":"\q \ud800"},"type":"access","time":1,"ip":"i","path":"/","#
            + #""n":-1.5e-3,"t":true,"f":false,"z":null}"#
        let body = #"{"version":3,"agent":"a","batch_id":"b","events":[\#(event)],"more":[[]]}"#
        #expect(try IngestBatch.decode(Data(body.utf8)).items.count == 1)
        #expect(Self.agree(body))
    }

    @Test func rejectsTruncatedAndTrailingInput() {
        let body = Self.body([Self.access, Self.finding, Self.heartbeat])
        let bytes = Array(body.utf8)
        for length in 0..<bytes.count {
            #expect(Self.decoded(Array(bytes[..<length])).failureText != nil)
        }
        #expect(Self.decoded(bytes + Array(" x".utf8)).failureText == "body: not valid JSON")
        #expect(Self.decoded(bytes + Array("\n\t ".utf8)).failureText == nil)
    }

    // MARK: - Differential

    @Test func agreesWithTheCodableDecoderOnHandMadeVariants() {
        let fields = [
            "type", "time", "node", "ip", "subject", "subject_kind", "method", "path", "query", "dataset", "channel",
            "status", "bytes", "user_agent", "drill", "file", "kind", "count", "agent", "masked_samples",
            "keyed_hashes",
        ]
        let values = [
            "null", "true", "1", "-0", "1.0", "1e2", "1.5", "-1", "01", "1e400", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "12345678901234567.0", "\"\"", "\"x\"", "\"access\"",
            "\"finding\"", "\"heartbeat\"", "\"app_key\"", "\"api\"", "\"2026-03-01T08:00:00Z\"", "[]", "[\"a\"]",
            "[1]", "{}", "\"\\u00e9\"", "\"\\ud800\"",
        ]
        for base in [Self.access, Self.finding, Self.heartbeat] {
            for field in fields {
                // Removed, replaced by each value, and duplicated.
                let without = Self.removing(field, from: base)
                _ = Self.agree(Self.body([without]), "without \(field)")
                for value in values {
                    let replaced = Self.setting(field, to: value, in: without)
                    _ = Self.agree(Self.body([replaced]), "\(field)=\(value)")
                }
                _ = Self.agree(Self.body([Self.setting(field, to: "\"dup\"", in: base)]), "duplicate \(field)")
            }
        }
        for top in ["agent", "batch_id", "events"] {
            for value in values + ["[{}]", "[null]", "[1]", String(repeating: "x", count: 201).quoted] {
                let body = Self.body([Self.access]).replacingOccurrences(of: "\"\(top)\":", with: "\"\(top)\":\(value),\"\(top)_old\":")
                _ = Self.agree(body, "\(top)=\(value)")
            }
        }
        for whole in ["", " ", "null", "[]", "1", "\"x\"", "{}", "{,}", "{\"agent\":\"a\",}", "\u{FEFF}{}", "{\"a\":[1,]}",
            "{\"a\":[,1]}", "{\"a\":{\"b\":1,}}", "{\"\\q\":1}", "{\"a\":1}{", "{\"a\":1,,}"]
        {
            _ = Self.agree(whole, "whole \(whole)")
        }
        let deep = { (n: Int) in "{\"x\":" + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "}" }
        _ = Self.agree(deep(511), "depth 512")
        _ = Self.agree(deep(512), "depth 513")
    }

    @Test func agreesWithTheCodableDecoderOnEveryPrefix() {
        let bytes = Array(Self.body([Self.access, Self.finding, Self.heartbeat]).utf8)
        var disagreements = 0
        for length in 0...bytes.count where !Self.agree(Array(bytes[..<length]), "prefix \(length)") {
            disagreements += 1
        }
        #expect(disagreements == 0)
    }

    @Test func agreesWithTheCodableDecoderOnRandomMutations() {
        let seeds = [
            Self.body([Self.access, Self.finding, Self.heartbeat]),
            Self.body([#"{"type":"access","time":1,"ip":"\u0031","path":"/\"x\"","x":{"y":["\ud83d\ude00"]}}"#]),
        ]
        let alphabet = Array(#"{}[]:,"\ 0123456789-+.eEtrufalsn/ux"#.utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0x09, 0x0A]
        var random = SeededGenerator(seed: 20_261_201)
        var disagreements = 0
        for round in 0..<6_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(bytes.count))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            if !Self.agree(bytes, "mutation \(round)") { disagreements += 1 }
            if disagreements > 20 { break }
        }
        #expect(disagreements == 0)
    }

    // MARK: - Helpers

    static func removing(_ field: String, from event: String) -> String {
        guard let range = event.range(of: "\"\(field)\":") else { return event }
        // Values in the fixtures hold no commas except in arrays, which end with `]`.
        var end = range.upperBound
        var depth = 0
        var inString = false
        while end < event.endIndex {
            let c = event[end]
            if inString {
                if c == "\\" { end = event.index(after: end) } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "[" || c == "{" {
                depth += 1
            } else if c == "]" || c == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if c == ",", depth == 0 {
                end = event.index(after: end)
                break
            }
            end = event.index(after: end)
        }
        var out = event
        out.removeSubrange(range.lowerBound..<end)
        if out.hasSuffix(",}") { out.replaceSubrange(out.index(out.endIndex, offsetBy: -2)..., with: "}") }
        return out
    }

    static func setting(_ field: String, to value: String, in event: String) -> String {
        "{\"\(field)\":\(value)," + event.dropFirst()
    }
}

extension String {
    var quoted: String { "\"\(self)\"" }
}
