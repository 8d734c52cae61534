/// A finding as the test compares it: file name, kind, mask, location, and whether it is person-linked.
/// Expected ones are computed from the plants; reported ones are mapped from `yujing scan --format json`.
struct ExpectedFinding: Sendable, Hashable, Comparable, CustomStringConvertible {
    var file: String
    var kind: String
    var masked: String
    var line: Int?
    var sheet: String?
    var row: Int?
    var record: Int?
    var column: String?
    var personLinked: Bool

    var description: String {
        var location = file
        if let sheet { location += "[\(sheet)]!\(row.map(String.init) ?? "?")" }
        if let line { location += ":\(line)" }
        location += " #\(record.map(String.init) ?? "-") col=\(column ?? "-")"
        return "\(kind) \(masked) at \(location)\(personLinked ? "" : " (not person-linked)")"
    }

    static func < (lhs: ExpectedFinding, rhs: ExpectedFinding) -> Bool {
        lhs.description < rhs.description
    }
}

extension ReportedFinding {
    /// The comparable form, with the file reduced to its path relative to `root`.
    func comparable(relativeTo root: String) -> ExpectedFinding {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
        return ExpectedFinding(
            file: relative, kind: kind, masked: masked, line: line, sheet: sheet, row: row, record: record,
            column: column, personLinked: personLinked)
    }
}
