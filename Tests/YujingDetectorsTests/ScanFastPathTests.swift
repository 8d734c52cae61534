import Testing
import YujingCore
@testable import YujingDetectors
import YujingTestSupport

/// The scanner's fast paths (cheap rejections before full validation) must decide exactly as the full
/// validation does.
@Suite struct ScanFastPathTests {
    /// Records what the scanner reports (canonical values copied: test-only, never exported).
    struct RecordingSink: DetectionSink {
        var events: [String] = []
        var wantsBareDigitPermits = false

        mutating func detected(_ d: RawDetection) {
            events.append(
                "D \(d.kind) \(d.offset) \(d.length) \(Array(d.canonical)) \(d.baseConfidence) \(d.context) \(d.personLinked)")
        }

        mutating func observed(_ kind: IdentifierKind, valid: Bool) {
            events.append("O \(kind) \(valid)")
        }
    }

    /// 18-digit candidates: random, structured (area + date + serial, like case numbers), and valid IDs.
    func candidates(_ count: Int) -> [[UInt8]] {
        var r = SeededGenerator(seed: 20_261_202)
        var out: [[UInt8]] = []
        for k in 0..<count {
            var v: [UInt8]
            switch k % 3 {
            case 0:
                v = (0..<18).map { _ in UInt8(48 + r.below(10)) }
            default:
                let areas = [
                    "110105", "310101", "440106", "910000", "921100", "000000", "622202", "620000", "352899",
                    "358900", "359000", "352700",
                ]
                let area = areas[Int(r.next() % UInt64(areas.count))]
                func padded(_ v: Int, _ width: Int) -> String {
                    let s = String(v)
                    return String(repeating: "0", count: max(0, width - s.count)) + s
                }
                let date =
                    padded(1890 + Int(r.next() % 140), 4) + padded(1 + Int(r.next() % 13), 2)
                    + padded(Int(r.next() % 32), 2)
                v = Array((area + date).utf8) + (0..<4).map { _ in UInt8(48 + r.below(10)) }
                if k % 3 == 2 {  // make the ID check digit right
                    let check = v.withUnsafeBufferPointer { ResidentIDValidator.checkCharacter($0) }!
                    if check != UInt8(ascii: "X") { v[17] = check }
                }
            }
            out.append(v)
        }
        return out
    }

    @Test func eighteenDigitFastPathMatchesFullValidation() {
        let scanner = detector.scanner
        for candidate in candidates(60_000) {
            candidate.withUnsafeBufferPointer { t in
                var fast = RecordingSink()
                scanner.evaluateDigits(t, offset: 3, into: &fast)
                // The reference: the order of evaluation before the fast path.
                var full = RecordingSink()
                if !scanner.evaluateResidentID(t, offset: 3, into: &full) {
                    scanner.evaluateCard(t, offset: 3, into: &full)
                    scanner.evaluateCreditCode(t, offset: 3, into: &full)
                }
                #expect(fast.events == full.events)
            }
        }
    }

    @Test func digitCreditCheckMatchesTableCheck() {
        var hits = 0
        for candidate in candidates(60_000) {
            candidate.withUnsafeBufferPointer { t in
                let table = SocialCreditCodeValidator.checkCharacter(t) == t[17]
                #expect(SocialCreditCodeValidator.digitCheckMatches(t) == table)
                if table { hits += 1 }
            }
        }
        #expect(hits > 100)  // the comparison covered matching codes too
    }

    @Test func provinceMaskMatchesList() {
        for code in -5..<140 {
            #expect(DivisionCodes.isProvince(code) == DivisionCodes.provinces.contains(code), "\(code)")
        }
    }

    @Test func groupShapes() {
        func pack(_ lengths: [Int]) -> UInt64 { lengths.reduce(UInt64(0)) { $0 << 5 | UInt64($1) } }
        let cards: [[Int]] = [[4, 4, 4, 4], [4, 4, 4, 4, 1], [4, 4, 4, 4, 2], [4, 4, 4, 4, 3], [4, 6, 5], [6, 13]]
        let reference = Set(cards.map(pack))
        // Every shape of 1 to 5 groups of 1 to 13 digits: same answer as the reference set.
        func all(_ prefix: [Int], _ depth: Int, _ body: ([Int]) -> Void) {
            body(prefix)
            guard depth > 0 else { return }
            for l in 1...13 { all(prefix + [l], depth - 1, body) }
        }
        all([], 5) { shape in
            guard !shape.isEmpty else { return }
            #expect(TokenScanner.isCardShape(pack(shape)) == reference.contains(pack(shape)), "\(shape)")
        }
        // Every accepted shape starts with an accepted pair of group lengths.
        let accepted: [[Int]] =
            cards + [[3, 4, 4], [6, 8, 4], [2, 3, 4, 4], [4, 3, 4, 4], [2, 11], [4, 11]]
        for shape in accepted {
            #expect(TokenScanner.isShapePrefix(pack(Array(shape.prefix(2)))), "\(shape)")
        }
        #expect(!TokenScanner.isShapePrefix(pack([3, 8])))  // 021-29416133, a landline
        #expect(!TokenScanner.isShapePrefix(pack([4, 8])))  // 0755-12345678
    }

    /// The cheap check before ``TokenScanner/scanGroups(_:_:from:into:)`` never turns away a chain that the
    /// full group scan would accept: every chain of 2 to 4 groups of 1 to 13 digits joined by spaces or
    /// hyphens, with digits chosen so that each accepted shape forms a valid identifier.
    @Test func groupPrecheckKeepsEveryAcceptedChain() {
        let scanner = detector.scanner
        let mobile = Array("13812345678".utf8)
        let id = Array("11010519491231002X".utf8)
        let card = Array("6222021234567890128".utf8)
        var accepted = 0
        func chains(_ prefix: [Int], _ depth: Int, _ body: ([Int]) -> Void) {
            if prefix.count >= 2 { body(prefix) }
            guard depth > 0 else { return }
            for l in 1...13 { chains(prefix + [l], depth - 1, body) }
        }
        chains([], 4) { lengths in
            for source in [mobile, id, card] {
                for separator in [UInt8(ascii: " "), UInt8(ascii: "-")] {
                    var text: [UInt8] = []
                    var k = 0
                    for (g, length) in lengths.enumerated() {
                        if g > 0 { text.append(separator) }
                        for _ in 0..<length {
                            text.append(k < source.count ? source[k] : UInt8(ascii: "7"))
                            k += 1
                        }
                    }
                    text.withUnsafeBufferPointer { b in
                        guard let base = b.baseAddress else { return }
                        var sink = RecordingSink()
                        let full = scanner.scanGroups(base, b.count, from: 0, into: &sink)
                        let pass = TokenScanner.mayStartGroups(base, b.count, length: lengths[0], separator: lengths[0])
                        if full != nil {
                            accepted += 1
                            #expect(pass, "\(lengths)")
                        }
                    }
                }
            }
        }
        #expect(accepted > 0)
        // A landline is turned away before its second group is read.
        let landline = Array("021-29416133".utf8)
        landline.withUnsafeBufferPointer { b in
            #expect(!TokenScanner.mayStartGroups(b.baseAddress!, b.count, length: 3, separator: 3))
        }
    }

    @Test func groupedFormsAndLandlines() {
        #expect(kinds("电话 021-29416133") == [])
        #expect(kinds("电话 0755-12345678 或 138-1234-5678") == [.mobile])
        #expect(kinds("+86 138 1234 5678") == [.mobile])
        #expect(kinds("0086-138-1234-5678") == [.mobile])
        #expect(kinds("110105 19491231 002X") == [.residentID])
        #expect(kinds("2024-01-05 12:30") == [])
        #expect(kinds("时间戳 1707849766004 金额 42240.04") == [])
    }
}
