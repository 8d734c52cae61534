import YujingCore
@testable import YujingDetectors

/// A fixed scan date and key so results are reproducible.
let testDay = CalendarDay(year: 2026, month: 12, day: 1)
let testKey: [UInt8] = Array("yujing-test-key-0123456789abcdef".utf8)
let detector = IdentifierDetector(configuration: DetectorConfiguration(today: testDay), key: testKey)

func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try Array(s.utf8).withUnsafeBufferPointer(body)
}

func kinds(_ text: String) -> [IdentifierKind] {
    detector.findings(in: text).map(\.kind)
}

/// Scans a table given as rows of cells (first row = header) and returns the findings.
func scanTable(_ rows: [[String]], file: String = "t.csv") -> [Finding] {
    var session = DetectionSession(detector: detector, file: file)
    session.beginTable(sheet: nil)
    for (i, name) in rows[0].enumerated() { session.defineField(i, name: name) }
    var out: [Finding] = []
    for (r, row) in rows.dropFirst().enumerated() {
        for (c, cell) in row.enumerated() {
            Array(cell.utf8).withUnsafeBytes { session.scan($0, field: c, line: r + 2, record: r + 1) }
        }
        out += session.drain()
    }
    session.endTable()
    return out + session.finish()
}

/// Appends the MOD 11-2 check character to 17 digits.
func withCheck(_ first17: String) -> String {
    let check = withBytes(first17) { ResidentIDValidator.checkCharacter($0) } ?? 0
    return first17 + String(UnicodeScalar(check))
}

/// Appends a Luhn check digit.
func withLuhn(_ body: String) -> String {
    for d in 0...9 {
        let candidate = body + String(d)
        if withBytes(candidate, { BankCardValidator.luhn($0) }) { return candidate }
    }
    return body
}
