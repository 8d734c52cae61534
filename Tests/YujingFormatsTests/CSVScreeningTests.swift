import Testing
import YujingCore
import YujingDetectors

@testable import YujingFormats
import YujingTestSupport

/// The CSV reader skips cells that cannot hold an identifier for sinks that ask for it (the SIMD kernel that
/// finds a cell's end counts its bytes on the way). Skipping must never lose a finding.
@Suite("CSV screening for identifiers")
struct CSVScreeningTests {
    /// Feeds every cell to a detection session: the reference, without screening.
    struct UnscreenedSink: CellSink {
        var session: DetectionSession
        var findings: [Finding] = []

        mutating func beginTable(sheet: String?) { session.beginTable(sheet: sheet) }
        mutating func defineField(_ id: Int, name: String) { session.defineField(id, name: name) }
        mutating func cell(_ value: UnsafeRawBufferPointer, at position: CellPosition) {
            if session.scan(value, field: position.field, line: position.line, record: position.record) {
                findings += session.drain()
            }
        }
        mutating func endTable() {
            session.endTable()
            findings += session.drain()
        }
    }

    /// Records the cells a screening sink is given.
    struct ScreenedRecorder: CellSink {
        var values: [String] = []
        var screensForIdentifiers: Bool { true }
        mutating func beginTable(sheet: String?) {}
        mutating func defineField(_ id: Int, name: String) {}
        mutating func cell(_ value: UnsafeRawBufferPointer, at position: CellPosition) {
            values.append(String(decoding: value, as: UTF8.self))
        }
        mutating func endTable() {}
    }

    static let detector = IdentifierDetector(
        configuration: DetectorConfiguration(today: CalendarDay(year: 2026, month: 12, day: 1)),
        key: Array("yujing-test-key-0123456789abcdef".utf8))

    /// Appends the MOD 11-2 check character to 17 digits.
    static func residentID(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return first17 + ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"][sum % 11]
    }

    /// Appends a Luhn check digit.
    static func luhn(_ body: String) -> String {
        var sum = 0
        for (k, c) in body.utf8.reversed().enumerated() {
            var d = Int(c - 48)
            if k % 2 == 0 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return body + String((10 - sum % 10) % 10)
    }

    /// Full-width digits and letters for an ASCII string.
    static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
    }

    /// One cell: identifiers in every written form, and the values that look like them.
    static func cell(_ r: inout SeededGenerator) -> String {
        let id = residentID(r.pick(["110105", "310101", "440106"]) + "19\(r.below(9))\(r.below(10))0\(1 + r.below(9))1\(r.below(10))" + r.digits(3))
        let mobile = "13" + r.digits(9)
        switch r.below(24) {
        case 0: return id
        case 1: return "身份证号：" + id + "。"
        case 2: return mobile
        case 3: return "\(mobile.prefix(3)) \(mobile.dropFirst(3).prefix(4)) \(mobile.suffix(4))"
        case 4: return "+86 \(mobile.prefix(3))-\(mobile.dropFirst(3).prefix(4))-\(mobile.suffix(4))"
        case 5: return r.pick(["ab@qq.com", "a+b@c.cn", "zhang.san@163.com", "联系邮箱x9@126.com"])
        case 6: return fullWidth(id)
        case 7: return luhn("622202" + r.digits(12))
        case 8: return luhn("4" + r.digits(14))
        case 9: return r.pick(["91110000600037341L", "92310101MA1K3XYZ0L", "E" + r.digits(8), "C" + r.digits(8)])
        case 10: return r.digits(8)
        case 11: return "1" + r.digits(12)  // epoch milliseconds
        case 12: return "1" + r.digits(9)  // epoch seconds
        case 13: return r.digits(5) + "." + r.digits(2)
        case 14: return "021-" + r.digits(8)
        case 15: return "上海市南京西路" + r.digits(3) + "号"
        case 16: return "已按程序办结，编号" + r.digits(18)
        case 17: return r.digits(12 + r.below(10))
        case 18: return "\u{FF10}" + r.digits(6)  // a full-width lead byte with few characters
        case 19: return "备注 abc def 1234"
        case 20: return "ＡＢＣ" + r.digits(5)
        case 21: return "a@b"
        case 22: return String(repeating: "长", count: r.below(30)) + mobile
        default: return r.pick(["", "上海市延安中路社区卫生服务中心", "材料齐全，准予办理", "x"])
        }
    }

    static func table(rows: Int, seed: UInt64) -> String {
        var r = SeededGenerator(seed: seed)
        var text = "序号,身份证号,手机,备注,金额,联系方式,护照号码,更新时间\n"
        for k in 1...rows {
            text += "\(k)," + (0..<7).map { _ in cell(&r) }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The screening rule applied to a cell by a plain loop over its bytes.
    static func canHoldIdentifier(_ value: String) -> Bool {
        var census = ValueCensus()
        for b in value.utf8 {
            census.length += 1
            if b < 48 || b > 57 { census.isAllDigits = false }
            if (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 0xEF { census.characters += 1 }
            if b == UInt8(ascii: "@") { census.hasAt = true }
        }
        return DetectionSession.canHoldIdentifier(census)
    }

    @Test func screeningLosesNoFinding() throws {
        let directory = try TestDirectory()
        let path = try directory.write("release.csv", Self.table(rows: 4_000, seed: 20_261_202))
        var screened: [Finding] = []
        let result = DatasetScanner(detector: Self.detector).scan(path: path) { screened.append($0) }
        #expect(result.error == nil)
        var reference = UnscreenedSink(session: DetectionSession(detector: Self.detector, file: path))
        try DatasetReader(path: path).read(into: &reference)
        reference.findings += reference.session.finish()
        #expect(screened.count > 3_000)
        let same = screened == reference.findings  // compared whole; only the counts are printed on failure
        #expect(same, "screened: \(screened.count) findings, unscreened: \(reference.findings.count)")
        let kinds = Set(screened.map(\.kind))
        for kind in [IdentifierKind.residentID, .mobile, .email, .bankCard, .socialCreditCode, .passport] {
            #expect(kinds.contains(kind), "no \(kind) found")
        }
    }

    @Test(arguments: [7, 16, 33, 1 << 20])
    func screeningPassesExactlyTheCellsThatCanHoldIdentifiers(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let text = Self.table(rows: 1_500, seed: UInt64(chunkSize))
        let path = try directory.write("cells.csv", text)
        var reader = DatasetReader(path: path)
        reader.chunkSize = chunkSize
        var screened = ScreenedRecorder()
        try reader.read(into: &screened)
        let (all, _) = try read(path, chunkSize: chunkSize)
        #expect(all.values.count > screened.values.count)
        let expected = all.values.filter(Self.canHoldIdentifier)
        let same = screened.values == expected
        #expect(same, "screened: \(screened.values.count) cells, expected: \(expected.count)")
    }

    @Test func canHoldIdentifierRule() {
        func census(_ length: Int, _ characters: Int, _ digits: Int, at: Bool = false) -> ValueCensus {
            var c = ValueCensus()
            c.length = length
            c.characters = characters
            c.isAllDigits = digits == length
            c.hasAt = at
            return c
        }
        #expect(DetectionSession.canHoldIdentifier(census(8, 7, 0, at: true)))  // ab@c.com
        #expect(!DetectionSession.canHoldIdentifier(census(30, 7, 7)))  // 上海市…236号, an amount
        #expect(DetectionSession.canHoldIdentifier(census(11, 11, 11)))  // a mobile
        #expect(DetectionSession.canHoldIdentifier(census(8, 8, 8)))  // a permit number
        #expect(DetectionSession.canHoldIdentifier(census(18, 18, 18)))
        #expect(!DetectionSession.canHoldIdentifier(census(13, 13, 13)))  // epoch milliseconds
        #expect(!DetectionSession.canHoldIdentifier(census(10, 10, 10)))  // epoch seconds
        #expect(!DetectionSession.canHoldIdentifier(census(20, 20, 20)))
        #expect(DetectionSession.canHoldIdentifier(census(14, 13, 13)))  // digits and a separator
    }
}
