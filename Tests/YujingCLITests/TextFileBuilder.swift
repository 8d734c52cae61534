/// Builds a text-format file (CSV, TSV, JSON, JSON Lines, XML, plain text) piece by piece and records, for
/// every planted identifier, the finding the scan must report: the 1-based line on which the written value
/// starts, with the record and column given by the caller.
struct TextFileBuilder {
    /// The file name (relative to the corpus folder).
    let name: String
    /// The content so far.
    private(set) var text = ""
    /// The findings expected from the plants so far.
    private(set) var expected: [ExpectedFinding] = []
    private var newlines = 0

    init(name: String) {
        self.name = name
    }

    /// The line the next appended character will be on.
    var currentLine: Int { newlines + 1 }

    /// Appends text.
    mutating func append(_ piece: String) {
        text += piece
        newlines += piece.unicodeScalars.lazy.filter { $0 == "\n" }.count
    }

    /// Appends a planted value and records its expected finding.
    mutating func plant(_ plant: Plant, record: Int?, column: String?) {
        expected.append(
            ExpectedFinding(
                file: name, kind: plant.kind, masked: plant.masked, line: currentLine, sheet: nil, row: nil,
                record: record, column: column, personLinked: plant.personLinked))
        append(plant.written)
    }
}

/// A part of a table cell or of a line of prose: plain text or a planted identifier.
enum Part: Sendable, ExpressibleByStringInterpolation {
    case text(String)
    case plant(Plant)

    init(stringLiteral value: String) {
        self = .text(value)
    }

    init(stringInterpolation: DefaultStringInterpolation) {
        self = .text(String(stringInterpolation: stringInterpolation))
    }

    /// The text as written.
    var written: String {
        switch self {
        case .text(let text): return text
        case .plant(let plant): return plant.written
        }
    }
}

extension TextFileBuilder {
    /// Appends parts (plain text and plants) in order.
    mutating func append(_ parts: [Part], record: Int?, column: String?) {
        for part in parts {
            switch part {
            case .text(let text): append(text)
            case .plant(let plant): self.plant(plant, record: record, column: column)
            }
        }
    }

    /// Writes a delimited table: an optional header row, then one row per record, quoting cells that hold
    /// the delimiter, a quote or a line break (RFC 4180). Records are numbered from 1 after the header;
    /// columns are named by the header, or `#1`, `#2`, … without one.
    mutating func table(header: [String]?, rows: [[[Part]]], delimiter: String = ",", newline: String = "\n") {
        if let header {
            append(header.joined(separator: delimiter) + newline)
        }
        for (index, row) in rows.enumerated() {
            for (column, cell) in row.enumerated() {
                if column > 0 { append(delimiter) }
                let joined = cell.map(\.written).joined()
                let quoted = joined.contains(delimiter) || joined.contains("\"") || joined.contains("\n")
                let name = header.flatMap { column < $0.count ? $0[column] : nil } ?? "#\(column + 1)"
                if quoted {
                    append("\"")
                    let escaped = cell.map { part -> Part in
                        if case .text(let text) = part {
                            return .text(text.replacingOccurrences(of: "\"", with: "\"\""))
                        }
                        return part
                    }
                    append(escaped, record: index + 1, column: name)
                    append("\"")
                } else {
                    append(cell, record: index + 1, column: name)
                }
            }
            append(newline)
        }
    }
}
