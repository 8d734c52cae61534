import Foundation
import Testing

/// Issue 2, evidence "the real portal CSVs": the Shanghai open-data files in
/// `../shared/corpora/shanghai-open-data/` (UTF-8, BOM, GBK, Excel-mangled numbers, written by others) scan
/// without errors and report no personal identifiers.
@Suite("Real portal CSVs")
struct PortalCorpusTests {
    @Test("18 Shanghai portal CSVs: exit 0, no error lines, 0 findings")
    func portalFilesAreClean() throws {
        let binary = try YujingBinary.locate()
        let corpus = YujingBinary.packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/corpora/shanghai-open-data").path
        var isDirectory: ObjCBool = false
        try #require(
            FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory) && isDirectory.boolValue,
            "portal corpus missing at \(corpus)")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }

        let run = try binary.run(
            ["scan", "--format", "json", "--no-progress", "--key-file", scratch.path("yujing.key"), corpus],
            workingDirectory: scratch.url.path, captureDirectory: scratch.path("capture"))
        #expect(!run.terminatedBySignal, "yujing crashed: \(run.stderrText)")
        #expect(run.status == 0)
        #expect(run.stderrLines.isEmpty, "error lines: \(run.stderrLines)")
        let report = try run.jsonReport()
        #expect(report.summary.files == 18)
        #expect(report.summary.errors == 0)
        #expect(report.summary.findings == 0)
        #expect(
            report.findings.isEmpty,
            "unexpected findings:\n\(report.findings.map { "\($0.kind) \($0.masked) \($0.file):\($0.line ?? 0) \($0.column ?? "-")" }.joined(separator: "\n"))"
        )
        for file in report.summary.perFile {
            #expect(file.error == nil, "\(file.file): \(file.error ?? "")")
            #expect(file.bytes > 0, "\(file.file) was read")
        }
        let encodings = Set(report.summary.perFile.compactMap(\.encoding))
        #expect(
            encodings.contains("gb18030") && encodings.contains("utf8BOM"), "GBK and BOM files recognised: \(encodings)"
        )
    }
}
