import Foundation

/// One finding line of `yujing scan --format json`.
struct ReportedFinding: Decodable, Sendable, Hashable {
    var type: String
    var file: String
    var line: Int?
    var sheet: String?
    var row: Int?
    var record: Int?
    var column: String?
    var kind: String
    var masked: String
    var hash: String
    var confidence: Double
    var personLinked: Bool

    enum CodingKeys: String, CodingKey {
        case type, file, line, sheet, row, record, column, kind, masked, hash, confidence
        case personLinked = "person_linked"
    }
}

/// The closing summary line of `yujing scan --format json`.
struct ReportSummary: Decodable, Sendable {
    /// One entry of `per_file`.
    struct PerFile: Decodable, Sendable {
        var file: String
        var format: String?
        var encoding: String?
        var bytes: Int
        var findings: Int
        var counts: [String: Int]
        var suppressed: Int
        var warnings: Int
        var error: String?
    }

    /// One entry of `unreadable` (inputs that could not even be opened).
    struct Unreadable: Decodable, Sendable {
        var file: String
        var error: String
    }

    var type: String
    var files: Int
    var filesWithFindings: Int
    var errors: Int
    var bytes: Int
    var findings: Int
    var byKind: [String: Int]
    var perFile: [PerFile]
    var unreadable: [Unreadable]

    enum CodingKeys: String, CodingKey {
        case type, files, errors, bytes, findings, unreadable
        case filesWithFindings = "files_with_findings"
        case byKind = "by_kind"
        case perFile = "per_file"
    }
}

/// The parsed JSON Lines output of one scan.
struct ScanReport: Sendable {
    /// Why the output is not well-formed JSON Lines.
    struct FormatProblem: Error, CustomStringConvertible {
        var description: String
    }

    var findings: [ReportedFinding]
    var summary: ReportSummary

    /// Parses the output: every line a JSON object, findings first, exactly one summary last.
    init(jsonLines: Data) throws {
        let lines = jsonLines.split(separator: UInt8(ascii: "\n"))
        guard let last = lines.last else { throw FormatProblem(description: "empty output") }
        let decoder = JSONDecoder()
        var findings: [ReportedFinding] = []
        for line in lines.dropLast() {
            let finding = try decoder.decode(ReportedFinding.self, from: Data(line))
            guard finding.type == "finding" else {
                throw FormatProblem(description: "line of type \(finding.type) before the summary")
            }
            findings.append(finding)
        }
        summary = try decoder.decode(ReportSummary.self, from: Data(last))
        guard summary.type == "summary" else { throw FormatProblem(description: "last line is not the summary") }
        self.findings = findings
    }
}
