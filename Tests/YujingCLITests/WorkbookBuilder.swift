import Foundation

/// Builds an XLSX workbook with python3 `openpyxl` and records, for every planted identifier, the finding
/// the scan must report (sheet, sheet row, data record, column).
struct WorkbookBuilder {
    /// A worksheet cell.
    enum Cell: Sendable {
        case empty
        /// A text cell (shared string).
        case text(String)
        /// A numeric cell holding an integer.
        case integer(Int)
        /// A numeric cell holding a float (Excel-mangled identifiers).
        case float(Double)
        /// A planted identifier as a text cell, or as a numeric cell when `numeric`.
        case plant(Plant, numeric: Bool)
    }

    /// One worksheet.
    struct Sheet {
        var name: String
        /// Header texts, when the first row is a header.
        var header: [String]?
        var rows: [[Cell]]
    }

    /// The file name.
    let name: String
    private(set) var sheets: [Sheet] = []
    private(set) var expected: [ExpectedFinding] = []

    init(name: String) {
        self.name = name
    }

    /// Adds a sheet. Without a header, columns are named by letter (`A`, `B`, …) and records equal rows.
    mutating func sheet(_ sheetName: String, header: [String]?, rows: [[Cell]]) {
        let offset = header == nil ? 0 : 1
        for (index, row) in rows.enumerated() {
            for (column, cell) in row.enumerated() {
                guard case .plant(let plant, _) = cell else { continue }
                let columnName =
                    header.flatMap { column < $0.count ? $0[column] : nil }
                    ?? String(UnicodeScalar(UInt8(65 + column)))
                expected.append(
                    ExpectedFinding(
                        file: name, kind: plant.kind, masked: plant.masked, line: nil, sheet: sheetName,
                        row: index + 1 + offset, record: index + 1, column: columnName,
                        personLinked: plant.personLinked))
            }
        }
        sheets.append(Sheet(name: sheetName, header: header, rows: rows))
    }

    /// The JSON spec handed to the Python writer.
    func specification() throws -> Data {
        var sheetObjects: [[String: Any]] = []
        for sheet in sheets {
            var rows: [[Any]] = []
            if let header = sheet.header { rows.append(header.map { ["t": "s", "v": $0] as [String: Any] }) }
            for row in sheet.rows {
                rows.append(
                    row.map { cell -> Any in
                        switch cell {
                        case .empty: return NSNull()
                        case .text(let text): return ["t": "s", "v": text]
                        case .integer(let value): return ["t": "i", "v": value]
                        case .float(let value): return ["t": "f", "v": value]
                        case .plant(let plant, let numeric):
                            return numeric ? ["t": "i", "v": Int(plant.written) ?? 0] : ["t": "s", "v": plant.written]
                        }
                    })
            }
            sheetObjects.append(["name": sheet.name, "rows": rows])
        }
        return try JSONSerialization.data(withJSONObject: ["sheets": sheetObjects], options: [.sortedKeys])
    }

    /// The Python program that writes the workbook: `python3 - SPEC OUT`.
    static let writerScript = """
        import json, sys
        from openpyxl import Workbook
        spec = json.load(open(sys.argv[1], encoding="utf-8"))
        wb = Workbook()
        wb.remove(wb.active)
        for sheet in spec["sheets"]:
            ws = wb.create_sheet(sheet["name"])
            for r, row in enumerate(sheet["rows"], start=1):
                for c, cell in enumerate(row, start=1):
                    if cell is None:
                        continue
                    value = cell["v"]
                    if cell["t"] == "i":
                        value = int(value)
                    elif cell["t"] == "f":
                        value = float(value)
                    ws.cell(row=r, column=c, value=value)
        wb.save(sys.argv[2])
        """

    /// Writes the workbook to `path`, using `workDirectory` for the spec and script.
    func write(to path: String, workDirectory: String) throws {
        try ExternalTool.requirePythonModule("openpyxl", pipPackage: "openpyxl", in: workDirectory)
        let tag = UUID().uuidString
        let specPath = (workDirectory as NSString).appendingPathComponent(".xlsx-spec-\(tag).json")
        let scriptPath = (workDirectory as NSString).appendingPathComponent(".xlsx-writer-\(tag).py")
        try specification().write(to: URL(fileURLWithPath: specPath))
        try Data(Self.writerScript.utf8).write(to: URL(fileURLWithPath: scriptPath))
        defer {
            try? FileManager.default.removeItem(atPath: specPath)
            try? FileManager.default.removeItem(atPath: scriptPath)
        }
        try ExternalTool.check(["python3", scriptPath, specPath, path], in: workDirectory)
    }
}
