import Foundation
import Testing
import YujingCore
import YujingParsing

@Suite struct CombinedFormatTests {
    let parser = AccessLogParser()

    @Test func parsesACombinedLineWithOffset() throws {
        let line =
            #"10.1.2.3 - - [17/May/2015:10:05:03 +0800] "#
            + #""GET /api/v1/datasets/ds-042/download?appKey=AK0123456789XYZ&fmt=csv HTTP/1.1" 200 5120 "-" "curl/8.0""#
        let event = try parser.parse(line)
        // 10:05:03 at +08:00 is 02:05:03 UTC.
        #expect(event.timeMillis == 1_431_828_303_000)
        #expect(event.clientIP == "10.1.2.3")
        #expect(event.method == "GET")
        #expect(event.path == "/api/v1/datasets/ds-042/download")
        #expect(event.dataset == "ds-042")
        #expect(event.channel == .download)
        #expect(event.subject == Subject(kind: .appKey, id: "AK0123456789XYZ"))
        #expect(event.query == "appKey=***&fmt=csv")
        #expect(event.status == 200)
        #expect(event.bytes == 5120)
        #expect(event.userAgent == "curl/8.0")
    }

    @Test func honoursNegativeOffsets() throws {
        let line = #"1.1.1.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#
        let event = try parser.parse(line)
        // 2000-10-10T20:55:36Z
        #expect(event.timeMillis == 971_211_336_000)
        #expect(event.userAgent == "")
        #expect(event.dataset == nil)
        #expect(event.channel == nil)
    }

    @Test func remoteUserAndDashBytes() throws {
        let line = #"::1 - alice [01/Jan/2026:00:00:00 +0000] "POST /login HTTP/1.1" 401 - "-" "x""#
        let event = try parser.parse(line)
        #expect(event.subject == Subject(kind: .user, id: "alice"))
        #expect(event.bytes == 0)
        #expect(event.status == 401)
        #expect(event.clientIP == "::1")
    }

    @Test func escapedQuotesAndJunkRequest() throws {
        let line = #"5.6.7.8 - - [01/Jan/2026:00:00:00 +0000] "\x16\x03\x01" 400 150 "-" "Mozilla \"evil\" 1""#
        let event = try parser.parse(line)
        #expect(event.method == "")
        #expect(event.status == 400)
        #expect(event.userAgent == #"Mozilla \"evil\" 1"#)
    }

    @Test func unterminatedUserAgentRunsToEndOfLine() throws {
        // Seen in the elastic corpus (line 8899): goaccess accepts it, and so do we.
        let line = #"1.1.1.1 - - [20/May/2015:12:05:17 +0000] "GET /x HTTP/1.1" 200 235 "-" "Googlebot/2.1 (+http://g)"#
        let event = try parser.parse(line)
        #expect(event.userAgent == "Googlebot/2.1 (+http://g)")
    }

    @Test func datasetPatternsAndChannels() throws {
        let cases: [(String, String?, AccessChannel?)] = [
            ("/datasets/abc/data.csv", "abc", .download),
            ("/datasets/abc/files/data.csv", "abc", .download),
            ("/api/v1/datasets/abc", "abc", .api),
            ("/api/v1/datasets/abc/records", "abc", .api),
            ("/sandbox/datasets/abc/query", "abc", .sandbox),
            ("/api/v1/catalog", nil, .api),
            ("/index.html", nil, nil),
            ("/datasets/a%20b/download", "a b", .download),
        ]
        for (path, dataset, channel) in cases {
            let event = try parser.parse(#"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET \#(path) HTTP/1.1" 200 1"#)
            #expect(event.dataset == dataset, "\(path)")
            #expect(event.channel == channel, "\(path)")
        }
    }

    @Test func subjectPriorityFollowsConfiguration() throws {
        let line = #"1.1.1.1 - bob [01/Jan/2026:00:00:00 +0000] "GET /x?userId=u1&token=TKabcdefghijkl HTTP/1.1" 200 1"#
        let event = try parser.parse(line)
        #expect(event.subject == Subject(kind: .token, id: "TKabcdefghijkl"))
        #expect(event.query == "userId=u1&token=***")
    }

    @Test func customPatterns() throws {
        let configuration = ParseConfiguration(
            node: "web-1",
            datasetPatterns: [URLPattern("/open/{subject}/data/{dataset}", channel: .api)],
            subjectParameters: [SubjectParameter(name: "k", kind: .appKey)])
        let event = try AccessLogParser(configuration: configuration)
            .parse(#"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET /open/u7/data/d9?k=KEY HTTP/1.1" 200 1"#)
        #expect(event.node == "web-1")
        #expect(event.dataset == "d9")
        #expect(event.channel == .api)
        #expect(event.subject == Subject(kind: .appKey, id: "KEY"))
    }

    @Test(arguments: [
        "",
        "   ",
        "garbage",
        #"1.1.1.1 - - 01/Jan/2026:00:00:00 +0000 "GET / HTTP/1.1" 200 1"#,
        #"1.1.1.1 - - [01/Foo/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1"#,
        #"1.1.1.1 - - [31/Jan/2026:25:00:00 +0000] "GET / HTTP/1.1" 200 1"#,
        #"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1 200 1"#,
        #"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" abc 1"#,
        #"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1x"#,
    ])
    func rejectsMalformedLines(line: String) {
        #expect(throws: ParseError.self) { try parser.parse(line) }
    }

    @Test func errorsNeverQuoteTheLine() {
        let secret = "SECRETKEY1234567890"
        let line = #"1.1.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET /?appKey=\#(secret) HTTP/1.1" 2x0 1"#
        do {
            _ = try parser.parse(line)
            Issue.record("expected a parse error")
        } catch {
            #expect(!String(describing: error).contains(secret))
            #expect(!String(describing: error).contains("appKey"))
        }
    }
}
