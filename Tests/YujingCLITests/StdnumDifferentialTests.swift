import Foundation
import Testing
import YujingDetectors
import YujingTestSupport

/// Issue 2, evidence "a differential test against python-stdnum": at least 100,000 candidates each for the
/// resident ID (ISO 7064 MOD 11-2) and the unified social credit code (GB 32100 MOD 31) — random strings,
/// valid ones and one-character mutations of valid ones, from a fixed seed — must get the same check
/// character from Yujing's validators as from stdnum. Only the check logic is compared, not stdnum's
/// county-existence and birth-year rules.
@Suite("Check characters against python-stdnum")
struct StdnumDifferentialTests {
    static let candidatesPerKind = 100_000
    static let idCharacters = Array("0123456789".utf8)
    static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// Characters outside both alphabets, sprinkled into a few candidates.
    static let foreign = Array("IOSVZaxo- ".utf8)

    /// The Python side: stdnum's own check-character functions, one result per candidate (`-` where the
    /// first 17 characters are outside the algorithm's domain).
    static let script = """
        import sys
        from stdnum.cn import ric, uscc
        from stdnum.iso7064 import mod_11_2
        alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
        out = []
        with open(sys.argv[1], encoding='utf-8') as f:
            for line in f:
                kind, candidate = line.rstrip('\\n').split(' ', 1)
                first17 = candidate[:17]
                if kind == 'R':
                    if len(candidate) != 18 or not all(c in '0123456789' for c in first17):
                        out.append('-')
                        continue
                    check = ric.calc_check_digit(candidate)
                    if check != mod_11_2.calc_check_digit(first17):
                        sys.exit('stdnum ric and mod_11_2 disagree on ' + candidate)
                    out.append(check)
                else:
                    if len(candidate) != 18 or not all(c in alphabet for c in first17):
                        out.append('-')
                        continue
                    out.append(uscc.calc_check_digit(first17))
        with open(sys.argv[2], 'w') as f:
            f.write('\\n'.join(out) + '\\n')
        """

    /// Generates the candidates (ASCII bytes): a third random, a third valid, a third one-character
    /// mutations of valid ones. `check` computes the check character of 17 characters (the test's own
    /// implementation, independent of the detector).
    static func candidates(alphabet: [UInt8], checkAlphabet: [UInt8], check: ([UInt8]) -> UInt8, seed: UInt64)
        -> [[UInt8]]
    {
        var rng = SeededGenerator(seed: seed)
        var out: [[UInt8]] = []
        out.reserveCapacity(candidatesPerKind)
        for index in 0..<candidatesPerKind {
            var candidate = (0..<17).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            switch index % 3 {
            case 0:
                if rng.next() % 50 == 0 {
                    candidate[Int(rng.next() % 17)] = foreign[Int(rng.next() % UInt64(foreign.count))]
                }
                candidate.append(checkAlphabet[Int(rng.next() % UInt64(checkAlphabet.count))])
            case 1:
                candidate.append(check(candidate))
            default:
                candidate.append(check(candidate))
                let position = Int(rng.next() % 18)
                let pool = position == 17 ? checkAlphabet : alphabet
                let original = candidate[position]
                var replacement = original
                while replacement == original { replacement = pool[Int(rng.next() % UInt64(pool.count))] }
                candidate[position] = replacement
            }
            out.append(candidate)
        }
        return out
    }

    /// MOD 11-2 check character of 17 ASCII digits (GB 11643 weights).
    static func residentCheck(_ first17: [UInt8]) -> UInt8 {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for index in 0..<17 { sum += Int(first17[index] - 48) * weights[index] }
        return Array("10X98765432".utf8)[sum % 11]
    }

    /// MOD 31 check character of 17 characters of the GB 32100 alphabet (weights 3^i mod 31).
    static func creditCheck(_ first17: [UInt8]) -> UInt8 {
        var sum = 0
        var weight = 1
        for index in 0..<17 {
            sum += (usccAlphabet.firstIndex(of: first17[index]) ?? 0) * weight
            weight = weight * 3 % 31
        }
        return usccAlphabet[(31 - sum % 31) % 31]
    }

    static func text(_ byte: UInt8?) -> String {
        byte.map { String(UnicodeScalar($0)) } ?? "-"
    }

    @Test("≥100,000 resident-ID and ≥100,000 credit-code candidates: same check character as stdnum")
    func checkCharactersAgree() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let work = scratch.url.path
        try ExternalTool.requirePythonModule("stdnum", pipPackage: "python-stdnum", in: work)

        let residentCandidates = Self.candidates(
            alphabet: Self.idCharacters, checkAlphabet: Array("0123456789Xx".utf8),
            check: Self.residentCheck, seed: 0x0011_6430)
        let creditCandidates = Self.candidates(
            alphabet: Self.usccAlphabet, checkAlphabet: Self.usccAlphabet, check: Self.creditCheck,
            seed: 0x0032_1000)
        // The mix really contains valid ones, invalid ones and out-of-domain ones.
        #expect(residentCandidates.count >= 100_000 && creditCandidates.count >= 100_000)

        var input: [UInt8] = []
        input.reserveCapacity((residentCandidates.count + creditCandidates.count) * 21)
        for candidate in residentCandidates { input += Array("R ".utf8) + candidate + [10] }
        for candidate in creditCandidates { input += Array("U ".utf8) + candidate + [10] }
        try Data(input).write(to: URL(fileURLWithPath: scratch.path("candidates.txt")))
        let total = residentCandidates.count + creditCandidates.count
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: scratch.path("stdnum_checks.py")))
        try ExternalTool.check(
            ["python3", scratch.path("stdnum_checks.py"), scratch.path("candidates.txt"), scratch.path("stdnum.txt")],
            in: work)
        let stdnum = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: scratch.path("stdnum.txt"))), as: UTF8.self
        )
        .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        try #require(stdnum.count == total, "stdnum answered \(stdnum.count) of \(total) candidates")

        var disagreements: [String] = []
        var checksumDecisionDisagreements: [String] = []
        var validByStdnum = 0
        var outOfDomain = 0
        let today = CalendarDay(year: 2026, month: 6, day: 1)
        for (index, candidate) in residentCandidates.enumerated() {
            let expected = stdnum[index]
            let actual = Self.text(candidate.withUnsafeBufferPointer { ResidentIDValidator.checkCharacter($0) })
            let shown = String(decoding: candidate, as: UTF8.self)
            if expected != actual { disagreements.append("resident ID \(shown): stdnum \(expected), yujing \(actual)") }
            guard expected != "-" else {
                outOfDomain += 1
                continue
            }
            // The full validator's checksum decision (incl. lower-case x) agrees as well.
            let last = Self.text(candidate[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : candidate[17])
            if last == expected { validByStdnum += 1 }
            let result = candidate.withUnsafeBufferPointer { ResidentIDValidator.validate($0, today: today) }
            let yujingSaysChecksum = result == .failure(.checksum)
            if yujingSaysChecksum != (last != expected) {
                checksumDecisionDisagreements.append("\(shown): stdnum check \(expected), yujing \(result)")
            }
        }
        for (index, candidate) in creditCandidates.enumerated() {
            let expected = stdnum[residentCandidates.count + index]
            let actual = Self.text(candidate.withUnsafeBufferPointer { SocialCreditCodeValidator.checkCharacter($0) })
            let shown = String(decoding: candidate, as: UTF8.self)
            if expected != actual { disagreements.append("credit code \(shown): stdnum \(expected), yujing \(actual)") }
            if expected == "-" { outOfDomain += 1 } else if Self.text(candidate[17]) == expected { validByStdnum += 1 }
        }
        #expect(validByStdnum > 60_000, "valid candidates in the mix: \(validByStdnum)")
        #expect(outOfDomain > 500, "out-of-domain candidates in the mix: \(outOfDomain)")
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) disagreements, first: \(disagreements.prefix(10).joined(separator: "; "))")
        #expect(
            checksumDecisionDisagreements.isEmpty,
            "\(checksumDecisionDisagreements.count) checksum decisions differ, first: \(checksumDecisionDisagreements.prefix(10).joined(separator: "; "))"
        )
    }
}
