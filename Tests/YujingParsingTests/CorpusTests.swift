import Foundation
import Testing
import YujingCore
import YujingParsing

@Suite struct CorpusTests {
    struct Tally {
        var parsed = 0
        var failed = 0
        var events: [AccessEvent] = []
    }

    func parseCorpus(_ name: String) throws -> Tally {
        let data = try Data(contentsOf: CorpusLocation.url(name))
        let parser = AccessLogParser()
        var tally = Tally()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            do {
                tally.events.append(try parser.parse(String(line)))
                tally.parsed += 1
            } catch {
                tally.failed += 1
            }
        }
        return tally
    }

    @Test func elasticApacheLogsParseCompletely() throws {
        let tally = try parseCorpus("elastic-examples-apache_logs.log")
        #expect(tally.parsed == 10_000)
        #expect(tally.failed == 0)
        // Status mix as documented for the corpus.
        #expect(tally.events.filter { $0.status == 200 }.count == 9_126)
        #expect(tally.events.filter { $0.status == 304 }.count == 445)
        #expect(Set(tally.events.map(\.clientIP)).count == 1_753)
        let first = try #require(tally.events.first)
        #expect(first.timeMillis == 1_431_857_103_000)  // 2015-05-17T10:05:03Z
        #expect(first.userAgent.hasPrefix("Mozilla/5.0 (Macintosh"))
    }

    @Test func hackersAccessLogParsesCompletely() throws {
        let tally = try parseCorpus("logparser-hackers-access.log")
        #expect(tally.parsed == 3_456)
        #expect(tally.failed == 0)
        #expect(tally.events.filter { $0.method == "GET" }.count == 2_376)
        #expect(tally.events.filter { $0.method == "POST" }.count == 1_080)
        #expect(tally.events.filter { $0.path == "/join_form" }.count == 1_161)
        let first = try #require(tally.events.first)
        #expect(first.timeMillis == 1_445_742_685_000)  // 25/Oct/2015:04:11:25 +0100 = 03:11:25Z
    }
}
