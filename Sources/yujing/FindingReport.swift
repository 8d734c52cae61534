import Foundation
import YujingCore
import YujingFormats

/// Writes findings and the closing summary as a readable table or as JSON Lines.
final class FindingReport {
    private let format: ScanCommand.OutputFormat
    private let output: OutputWriter
    private var headerWritten = false

    init(format: ScanCommand.OutputFormat, output: OutputWriter) {
        self.format = format
        self.output = output
    }

    func begin() {}

    func write(_ finding: Finding) {
        switch format {
        case .json: writeJSON(finding)
        case .table: writeRow(finding)
        }
    }

    /// One finding as a JSON object (`type`, `file`, `line` or `sheet`/`row`, `record`, `column`, `kind`,
    /// `masked`, `hash`, `confidence`, `person_linked`).
    static func json(_ f: Finding) -> String {
        var pairs: [(String, String)] = [("type", "\"finding\""), ("file", JSONText.string(f.location.file))]
        if let line = f.location.line { pairs.append(("line", String(line))) }
        if let sheet = f.location.sheet { pairs.append(("sheet", JSONText.string(sheet))) }
        if let row = f.location.row { pairs.append(("row", String(row))) }
        pairs.append(("record", f.location.record.map(String.init) ?? "null"))
        pairs.append(("column", f.location.column.map(JSONText.string) ?? "null"))
        pairs.append(("kind", JSONText.string(f.kind.rawValue)))
        pairs.append(("masked", JSONText.string(f.masked)))
        pairs.append(("hash", JSONText.string(f.hash)))
        pairs.append(("confidence", String(f.confidence)))
        pairs.append(("person_linked", f.personLinked ? "true" : "false"))
        return JSONText.object(pairs)
    }

    /// Writes one finding as JSON (same fields and order as ``json(_:)``), built in a local buffer.
    private func writeJSON(_ f: Finding) {
        var o: [UInt8] = []
        o.reserveCapacity(320)
        JSONBytes.raw(&o, "{\"type\":\"finding\",\"file\":")
        JSONBytes.string(&o, f.location.file)
        if let line = f.location.line {
            JSONBytes.raw(&o, ",\"line\":")
            JSONBytes.integer(&o, line)
        }
        if let sheet = f.location.sheet {
            JSONBytes.raw(&o, ",\"sheet\":")
            JSONBytes.string(&o, sheet)
        }
        if let row = f.location.row {
            JSONBytes.raw(&o, ",\"row\":")
            JSONBytes.integer(&o, row)
        }
        JSONBytes.raw(&o, ",\"record\":")
        if let record = f.location.record { JSONBytes.integer(&o, record) } else { JSONBytes.raw(&o, "null") }
        JSONBytes.raw(&o, ",\"column\":")
        if let column = f.location.column { JSONBytes.string(&o, column) } else { JSONBytes.raw(&o, "null") }
        JSONBytes.raw(&o, ",\"kind\":")
        JSONBytes.string(&o, f.kind.rawValue)
        JSONBytes.raw(&o, ",\"masked\":")
        JSONBytes.string(&o, f.masked)
        JSONBytes.raw(&o, ",\"hash\":")
        JSONBytes.string(&o, f.hash)
        JSONBytes.raw(&o, ",\"confidence\":")
        let hundredths = Int((f.confidence * 100).rounded())
        JSONBytes.integer(&o, hundredths / 100)
        JSONBytes.raw(&o, hundredths % 100 < 10 ? ".0" : ".")
        JSONBytes.integer(&o, hundredths % 100)
        JSONBytes.raw(&o, f.personLinked ? ",\"person_linked\":true}" : ",\"person_linked\":false}")
        output.record(o)
    }

    private func writeRow(_ f: Finding) {
        if !headerWritten {
            output.write(Self.pad("KIND", 18) + Self.pad("MASKED", 24) + Self.pad("CONF", 6) + "LOCATION  COLUMN\n")
            headerWritten = true
        }
        var location = f.location.file
        if let sheet = f.location.sheet {
            location += "[\(sheet)]"
            if let row = f.location.row { location += "!\(row)" }
        } else if let line = f.location.line {
            location += ":\(line)"
        }
        if let record = f.location.record { location += " #\(record)" }
        output.write(
            Self.pad(f.kind.rawValue, 18) + Self.pad(f.masked, 24) + Self.pad(String(format: "%.2f", f.confidence), 6)
                + location + "  " + (f.location.column ?? "-") + "\n")
    }

    func summary(results: [FileScanResult], unreadable: [(String, String)]) {
        var byKind: [IdentifierKind: Int] = [:]
        for result in results {
            for (kind, count) in result.counts { byKind[kind, default: 0] += count }
        }
        let total = byKind.values.reduce(0, +)
        let bytes = results.reduce(Int64(0)) { $0 + $1.bytesRead }
        let withFindings = results.filter { $0.findingCount > 0 }.count
        switch format {
        case .json:
            let kinds = JSONText.object(byKind.keys.sorted().map { ($0.rawValue, String(byKind[$0] ?? 0)) })
            let files = results.map { r -> String in
                var pairs: [(String, String)] = [("file", JSONText.string(r.path))]
                pairs.append(("format", r.format.map { JSONText.string($0.rawValue) } ?? "null"))
                pairs.append(("encoding", r.encoding.map { JSONText.string($0.rawValue) } ?? "null"))
                pairs.append(("bytes", String(r.bytesRead)))
                pairs.append(("findings", String(r.findingCount)))
                pairs.append(("counts", JSONText.object(r.counts.keys.sorted().map { ($0.rawValue, String(r.counts[$0] ?? 0)) })))
                pairs.append(("suppressed", String(r.suppressed)))
                pairs.append(("warnings", String(r.warnings.count)))
                pairs.append(("error", r.error.map { JSONText.string($0.description) } ?? "null"))
                return JSONText.object(pairs)
            }
            let failed = Set(results.compactMap { $0.error == nil ? nil : $0.path })
            let missing = unreadable.filter { !failed.contains($0.0) }.map {
                JSONText.object([("file", JSONText.string($0.0)), ("error", JSONText.string($0.1))])
            }
            let summary = JSONText.object([
                ("type", "\"summary\""), ("files", String(results.count)), ("files_with_findings", String(withFindings)),
                ("errors", String(unreadable.count)), ("bytes", String(bytes)), ("findings", String(total)),
                ("by_kind", kinds), ("per_file", "[" + files.joined(separator: ",") + "]"),
                ("unreadable", "[" + missing.joined(separator: ",") + "]"),
            ])
            output.write(summary + "\n")
        case .table:
            if total > 0 {
                output.write("\n")
                for kind in byKind.keys.sorted() { output.write(Self.pad(kind.rawValue, 18) + "\(byKind[kind] ?? 0)\n") }
            }
            output.write(
                "\(total) finding\(total == 1 ? "" : "s") in \(withFindings) of \(results.count) file\(results.count == 1 ? "" : "s")"
                    + (unreadable.isEmpty ? "" : ", \(unreadable.count) unreadable") + "\n")
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
    }
}
