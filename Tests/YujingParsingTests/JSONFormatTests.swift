import Foundation
import Testing
import YujingCore
import YujingParsing

@Suite struct JSONFormatTests {
    @Test func defaultFieldMapWithISOTime() throws {
        let parser = AccessLogParser(configuration: ParseConfiguration(format: .json))
        let line = """
            {"time":"2026-03-01T08:00:00.250+08:00","remote_addr":"10.0.0.9","request_method":"GET",\
            "request_uri":"/datasets/d1/download?app_key=APPKEY-1234567","status":200,"body_bytes_sent":"77",\
            "http_user_agent":"python-requests/2.31"}
            """
        let event = try parser.parse(line)
        #expect(event.timeMillis == 1_772_323_200_250)
        #expect(event.clientIP == "10.0.0.9")
        #expect(event.dataset == "d1")
        #expect(event.channel == .download)
        #expect(event.subject == Subject(kind: .appKey, id: "APPKEY-1234567"))
        #expect(event.bytes == 77)
        #expect(event.userAgent == "python-requests/2.31")
    }

    @Test func customFieldMapEpochMillisAndNestedKeys() throws {
        let yamlLikeJSON = """
            {"format":"json","time_format":"epoch_ms","fields":{"time":"ts","ip":"client.ip","path":"req.path",
            "method":"req.method","status":"res.code","bytes":"res.size","user_agent":"ua",
            "subjects":[{"name":"hdr.x-user","kind":"user"}],"channel":"ch","dataset":"ds"}}
            """
        let configuration = try JSONDecoder().decode(ParseConfiguration.self, from: Data(yamlLikeJSON.utf8))
        #expect(configuration.format == .json)
        #expect(configuration.datasetPatterns == ParseConfiguration.defaultDatasetPatterns)
        let parser = AccessLogParser(configuration: configuration)
        let line = """
            {"ts":1767225600000,"client":{"ip":"2001:db8::1"},"req":{"path":"/q","method":"POST"},
            "res":{"code":403,"size":12},"ua":"x","hdr":{"x-user":"u-77"},"ch":"sandbox","ds":"d-9"}
            """
        let event = try parser.parse(line.replacingOccurrences(of: "\n", with: ""))
        #expect(event.timeMillis == 1_767_225_600_000)
        #expect(event.clientIP == "2001:db8::1")
        #expect(event.method == "POST")
        #expect(event.status == 403)
        #expect(event.channel == .sandbox)
        #expect(event.dataset == "d-9")
        #expect(event.subject == Subject(kind: .user, id: "u-77"))
    }

    @Test func epochSecondsAndRequestLineFallback() throws {
        var configuration = ParseConfiguration(format: .json, timeFormat: .auto)
        configuration.fields.path = "uri"
        let parser = AccessLogParser(configuration: configuration)
        let event = try parser.parse(
            #"{"time":1767225600.5,"remote_addr":"1.2.3.4","request":"GET /api/v1/datasets/x HTTP/1.1","status":200}"#)
        #expect(event.timeMillis == 1_767_225_600_500)
        #expect(event.method == "GET")
        #expect(event.dataset == "x")
        #expect(event.channel == .api)
    }

    @Test func zoneLessTimeUsesDefaultOffset() throws {
        let parser = AccessLogParser(configuration: ParseConfiguration(format: .json, defaultUTCOffsetMinutes: 480))
        let event = try parser.parse(#"{"time":"2026-01-01 08:00:00","remote_addr":"1.2.3.4","request_uri":"/"}"#)
        #expect(event.timeMillis == 1_767_225_600_000)
    }

    @Test func badJSONLinesAreTypedErrors() {
        let parser = AccessLogParser(configuration: ParseConfiguration(format: .json))
        #expect(throws: ParseError.notJSONObject) { try parser.parse("not json") }
        #expect(throws: ParseError.notJSONObject) { try parser.parse("{broken") }
        #expect(throws: ParseError.missingField("time")) {
            try parser.parse(#"{"remote_addr":"1.2.3.4","request_uri":"/"}"#)
        }
        #expect(throws: ParseError.badTime(field: "time")) {
            try parser.parse(#"{"time":"yesterday","remote_addr":"1.2.3.4","request_uri":"/"}"#)
        }
    }
}
