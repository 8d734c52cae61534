import Foundation
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
        #expect((decoded["bytes"] as? NSNumber)?.intValue == 0)
        #expect(decoded["user_agent"] as? String == "ua\t")
        #expect(decoded["drill"] == nil)
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
}
