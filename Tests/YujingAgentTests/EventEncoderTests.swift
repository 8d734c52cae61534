import CompressNIO
import Foundation
import NIOCore
import Testing
import YujingCore

@testable import YujingAgent

@Suite struct EventEncoderTests {
    @Test func accessEventsEncodeAsTheCenterExpects() throws {
        let event = AccessEvent(
            timeMillis: 1_772_294_400_123, node: "n\"1", clientIP: "10.0.0.1",
            subject: Subject(kind: .appKey, id: "k\\1"), method: "GET", path: "/a\nb\u{01}", query: "x=数据",
            dataset: "ds-1", channel: .download, status: 404, bytes: 0, userAgent: "ua\t", drillID: nil)
        var writer = JSONWriter()
        EventEncoder.append(event, to: &writer)
        let body = EventEncoder.batch(agent: "a", batchID: "k@0-10", events: writer.bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["batch_id"] as? String == "k@0-10")
        let decoded = try #require((object["events"] as? [[String: Any]])?.first)
        #expect(decoded["type"] as? String == "access")
        #expect((decoded["time"] as? NSNumber)?.int64Value == 1_772_294_400_123)
        #expect(decoded["node"] as? String == "n\"1")
        #expect(decoded["subject"] as? String == "k\\1")
        #expect(decoded["subject_kind"] as? String == "app_key")
        #expect(decoded["path"] as? String == "/a\nb\u{01}")
        #expect(decoded["query"] as? String == "x=数据")
        #expect(decoded["channel"] as? String == "download")
        #expect((decoded["status"] as? NSNumber)?.intValue == 404)
        #expect(decoded["bytes"] == nil)
        #expect(decoded["user_agent"] as? String == "ua\t")
        #expect(decoded["drill"] == nil)
    }

    /// `method` GET, `status` 200, `bytes` 0 and an empty user agent are the API's defaults: left out, and the
    /// center's decoder fills them in (its tests cover that side).
    @Test func defaultValuedFieldsAreLeftOut() throws {
        var writer = JSONWriter()
        EventEncoder.append(
            AccessEvent(
                timeMillis: 1, node: "n", clientIP: "10.0.0.1", method: "GET", path: "/", status: 200, bytes: 0),
            to: &writer)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["type", "time", "node", "ip", "path"])
        var other = JSONWriter()
        EventEncoder.append(
            AccessEvent(
                timeMillis: 1, node: "n", clientIP: "10.0.0.1", method: "POST", path: "/", status: 201, bytes: 5,
                userAgent: "u"),
            to: &other)
        let full = try #require(try JSONSerialization.jsonObject(with: Data(other.bytes)) as? [String: Any])
        #expect(full["method"] as? String == "POST")
        #expect((full["status"] as? NSNumber)?.intValue == 201)
        #expect((full["bytes"] as? NSNumber)?.intValue == 5)
        #expect(full["user_agent"] as? String == "u")
    }

    @Test func integersAreWrittenWithoutStrings() {
        for value: Int64 in [0, 7, -1, 10, 1_234_567_890_123, Int64.max, Int64.min] {
            var writer = JSONWriter()
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
    }

    @Test func gzipRoundTripsThroughTheCentersDecoder() throws {
        let body = Array(String(repeating: "{\"x\":1}", count: 1000).utf8)
        let gzipped = try EventEncoder.gzip(body)
        #expect(gzipped.count < body.count / 10)
        #expect(gzipped.prefix(2) == [0x1F, 0x8B])
    }

    /// Strings with escapes at every position relative to the eight-byte blocks the writer skips at once.
    @Test func stringsRoundTripWithEscapesAtEveryPosition() throws {
        let pieces = ["a", "\"", "\\", "\n", "\u{01}", "\u{1F}", "数", " ", "\t", "~", "\u{7F}", "é"]
        var generator = SystemRandomNumberGenerator()
        var texts = [""]
        for length in 1...40 {
            for _ in 0..<25 {
                texts.append((0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined())
            }
        }
        for padding in 0..<17 {
            texts.append(String(repeating: "x", count: padding) + "\"" + String(repeating: "y", count: 16 - padding))
        }
        for text in texts {
            var writer = JSONWriter()
            writer.raw("[")
            writer.string(text)
            writer.raw("]")
            let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
            #expect(decoded == [text], "\(text.debugDescription)")
        }
    }

    /// One encoder serves batch after batch: each body is a whole, independent gzip'd document.
    @Test func batchEncoderReusesItsBuffersWithoutMixingBatches() throws {
        let encoder = try BatchEncoder(agent: "agent-1")
        for (batch, size) in [3, 2_000, 1, 50].enumerated() {
            encoder.begin(at: UInt64(batch * 1_000))
            for index in 0..<size {
                encoder.append(
                    AccessEvent(
                        timeMillis: 1_772_294_400_000 + Int64(index), node: "n", clientIP: "10.0.0.\(index % 250)",
                        method: "GET", path: "/b\(batch)/\(index)", status: 200, bytes: Int64(index),
                        userAgent: "ua"))
            }
            #expect(encoder.count == size)
            #expect(encoder.start == UInt64(batch * 1_000))
            let body = try encoder.finish(batchID: "k@\(batch)")
            #expect(body.prefix(2) == [0x1F, 0x8B])
            var compressed = ByteBuffer(bytes: body)
            let json = try compressed.decompress(with: .gzip())
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.readableBytesView)) as? [String: Any])
            #expect(object["agent"] as? String == "agent-1")
            #expect(object["batch_id"] as? String == "k@\(batch)")
            let paths = (object["events"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
            #expect(paths == (0..<size).map { "/b\(batch)/\($0)" })
        }
    }
}
