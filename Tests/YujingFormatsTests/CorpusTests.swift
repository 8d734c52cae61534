import Foundation
import Testing

@testable import YujingFormats

@Suite("Shanghai open-data corpus")
struct CorpusTests {
    /// `shared/corpora/shanghai-open-data`, found by walking up from this file (symlinks resolved).
    static func corpusDirectory(filePath: String = #filePath) throws -> URL {
        var directory = URL(fileURLWithPath: filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("../shared/corpora/shanghai-open-data").standardized
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CorpusMissing()
    }

    struct CorpusMissing: Error {}

    @Test func everyCSVReadsWithoutError() throws {
        let directory = try Self.corpusDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
        #expect(names.count >= 15)
        for name in names.sorted() {
            let (sink, report) = try read(directory.appendingPathComponent(name).path)
            #expect(report.format == .csv, "\(name)")
            #expect(!sink.cells.isEmpty, "\(name)")
            #expect(report.replacedSequences == 0, "\(name)")
            #expect(!sink.values.contains { $0.contains("\u{FFFD}") }, "\(name)")
        }
    }

    @Test func gbkFileMatchesItsUTF8Twin() throws {
        let directory = try Self.corpusDirectory()
        let (gbk, gbkReport) = try read(directory.appendingPathComponent("sh-10.csv").path)
        let (utf8, utf8Report) = try read(directory.appendingPathComponent("sh-09.csv").path)
        #expect(gbkReport.encoding == .gb18030)
        #expect(utf8Report.encoding == .utf8BOM)
        #expect(gbk.cells == utf8.cells)
        #expect(gbk.fields == utf8.fields)
        #expect(gbk.fields == [0: "年份", 1: "家庭病床总建床数", 2: "家庭病床服务床日数"])
        #expect(gbk.values == ["截至目前", "3018", "395510"])
    }
}
