import Foundation
import Testing

/// Issue 2, evidence "a generated corpus": every supported format and encoding, planted identifiers of
/// every kind, and the decoys that fool regular expressions. Every planted identifier must be reported with
/// the right kind, file, location, record, column and mask, and nothing else may be reported.
@Suite("Generated corpus, end to end")
struct PlantedCorpusTests {
    static let seed: UInt64 = 0x5955_4A49_4E47_0002
    static let today = "2026-06-01"
    static let allKinds: Set<String> = [
        "cn_resident_id", "cn_resident_id_15", "cn_mobile", "bank_card", "cn_uscc", "passport", "travel_permit",
        "email",
    ]

    @Test("every planted identifier is found where it was planted, and no decoy is reported")
    func plantedIdentifiersAndDecoys() throws {
        let binary = try YujingBinary.locate()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let corpusPath = try scratch.makeDirectory("corpus")
        let workPath = try scratch.makeDirectory("work")
        let corpus = PlantedCorpus(seed: Self.seed)
        try corpus.write(to: corpusPath, workDirectory: workPath)

        // The generator itself covers every kind, format and encoding.
        let expected = corpus.expected.sorted()
        #expect(Set(expected.map(\.kind)) == Self.allKinds)

        let run = try binary.run(
            [
                "scan", "--format", "json", "--no-progress", "--key-file", scratch.path("work/key"), "--today",
                Self.today,
                corpusPath,
            ],
            workingDirectory: workPath, captureDirectory: scratch.path("capture"))
        #expect(!run.terminatedBySignal, "yujing crashed: \(run.stderrText)")
        #expect(run.status == 1, "exit status with findings")
        #expect(run.stderrLines.isEmpty, "no error or warning lines expected, got: \(run.stderrLines)")
        let report = try run.jsonReport()
        let reported = report.findings.map { $0.comparable(relativeTo: corpusPath) }.sorted()

        let missing = Self.multisetDifference(expected, reported)
        let unexpected = Self.multisetDifference(reported, expected)
        #expect(
            missing.isEmpty,
            "planted identifiers not reported as expected (\(missing.count)):\n\(missing.map(\.description).joined(separator: "\n"))"
        )
        #expect(
            unexpected.isEmpty,
            "reported but not planted (\(unexpected.count)):\n\(unexpected.map(\.description).joined(separator: "\n"))")
        #expect(reported.count == expected.count, "finding count equals planted count")

        // The summary agrees with the findings, file by file.
        #expect(report.summary.files == corpus.fileNames.count)
        #expect(report.summary.errors == 0)
        #expect(report.summary.findings == expected.count)
        var expectedByKind: [String: Int] = [:]
        for finding in expected { expectedByKind[finding.kind, default: 0] += 1 }
        #expect(report.summary.byKind == expectedByKind)
        let perFile = Dictionary(
            report.summary.perFile.map { ($0.file.replacingOccurrences(of: corpusPath + "/", with: ""), $0) },
            uniquingKeysWith: { first, _ in first })
        for name in corpus.fileNames {
            let entry = try #require(perFile[name], "summary lists \(name)")
            #expect(entry.error == nil, "\(name) read without error")
            #expect(entry.findings == expected.filter { $0.file == name }.count, "findings in \(name)")
        }
        #expect(perFile["persons-gbk.csv"]?.encoding == "gb18030", "GBK detected")
        #expect(perFile["persons-bom.csv"]?.encoding == "utf8BOM", "BOM detected")
        #expect(perFile["people.tsv"]?.format == "tsv")
        #expect(perFile["events.jsonl"]?.format == "jsonLines")
        #expect(perFile["workbook.xlsx"]?.format == "xlsx")
        // The order numbers that pass MOD 11-2 by chance reached the detector and were suppressed as such.
        #expect((perFile["orders-headerless.csv"]?.suppressed ?? 0) >= 7)
        #expect((perFile["orders.csv"]?.suppressed ?? 0) >= 6)

        // Every finding is above the default threshold and carries a 128-bit hex keyed hash.
        for finding in report.findings {
            #expect(finding.confidence >= 0.5 && finding.confidence <= 1, "confidence of \(finding.masked)")
            #expect(finding.hash.count == 32 && finding.hash.allSatisfy(\.isHexDigit), "hash of \(finding.masked)")
        }
    }

    /// The elements of `a` not matched by an equal element of `b` (both sorted or not; multiplicity counts).
    static func multisetDifference(_ a: [ExpectedFinding], _ b: [ExpectedFinding]) -> [ExpectedFinding] {
        var remaining: [ExpectedFinding: Int] = [:]
        for item in b { remaining[item, default: 0] += 1 }
        var out: [ExpectedFinding] = []
        for item in a {
            if let count = remaining[item], count > 0 {
                remaining[item] = count - 1
            } else {
                out.append(item)
            }
        }
        return out
    }
}
