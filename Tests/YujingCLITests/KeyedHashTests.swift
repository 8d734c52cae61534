import Foundation
import Testing

/// Keyed hashes (HMAC-SHA256 with a per-installation key): the same identifier hashes alike across files,
/// formats and written forms; another key gives other hashes; a missing key file is created with mode 0600.
@Suite("Keyed hashes and the installation key")
struct KeyedHashTests {
    /// The hash of each (kind, mask) in a report; fails on two different hashes for one mask.
    static func hashes(_ report: ScanReport, file: String) -> [String: String] {
        var out: [String: String] = [:]
        for finding in report.findings where finding.file.hasSuffix(file) {
            out[finding.kind + " " + finding.masked] = finding.hash
        }
        return out
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
    }

    @Test("same value in two files → same hash; another key → another hash; key created 0600")
    func hashesCorrelateUnderOneKeyOnly() throws {
        let binary = try YujingBinary.locate()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var factory = IdentifierFactory(seed: 5)
        let id = factory.residentID(checkX: true)
        let mobile = factory.mobile()
        let card = factory.unionPay(length: 19)
        let legacy = factory.legacyID()
        let upgraded = IdentifierFactory.upgradeLegacy(legacy)
        let other = factory.residentID()
        try scratch.write(
            "in/a.csv",
            text:
                "姓名,身份证号,手机,银行卡号\n张伟,\(id),\(mobile),\(card)\n李娜,\(upgraded),\(factory.mobile()),\(factory.unionPay(length: 19))\n王芳,\(other),,\n"
        )
        try scratch.write(
            "in/b.json",
            text: """
                [{"sfzh": "\(id.lowercased())", "phone": "+86 \(mobile.prefix(3)) \(mobile.dropFirst(3).prefix(4)) \(mobile.suffix(4))", "card_no": \(card)}]
                """)
        try scratch.write("in/c.csv", text: "xm,sfzh\n王芳,\(legacy)\n")
        let keyOne = scratch.path("keys/one.key")
        let keyTwo = scratch.path("keys/two.key")
        #expect(!FileManager.default.fileExists(atPath: keyOne))

        func scan(_ key: String) throws -> ScanReport {
            let run = try binary.run(
                [
                    "scan", "--format", "json", "--no-progress", "--key-file", key, "--today", "2026-06-01",
                    scratch.path("in"),
                ],
                workingDirectory: scratch.url.path, captureDirectory: scratch.path("capture"))
            #expect(!run.terminatedBySignal, "yujing crashed: \(run.stderrText)")
            #expect(run.status == 1, "\(run.stderrText)")
            return try run.jsonReport()
        }

        let first = try scan(keyOne)
        #expect(FileManager.default.fileExists(atPath: keyOne), "key file created")
        #expect(try Self.mode(keyOne) == 0o600, "key file mode")
        let keyBytes = try Data(contentsOf: URL(fileURLWithPath: keyOne))
        #expect(keyBytes.count >= 16)

        let a = Self.hashes(first, file: "a.csv")
        let b = Self.hashes(first, file: "b.json")
        let c = Self.hashes(first, file: "c.csv")
        let idKey = "cn_resident_id " + String(id.prefix(3)) + "***********" + String(id.suffix(4))
        let mobileKey = "cn_mobile " + String(mobile.prefix(3)) + "****" + String(mobile.suffix(4))
        let cardKey = "bank_card " + String(repeating: "*", count: 15) + String(card.suffix(4))
        for key in [idKey, mobileKey, cardKey] {
            let inA = try #require(a[key], "\(key) reported in a.csv")
            let inB = try #require(b[key], "\(key) reported in b.json")
            #expect(inA == inB, "same value, same hash across files and written forms: \(key)")
        }
        // A legacy 15-digit ID hashes like its 18-character form (one person, one hash).
        let upgradedKey = "cn_resident_id " + String(upgraded.prefix(3)) + "***********" + String(upgraded.suffix(4))
        let legacyHash = try #require(c.first { $0.key.hasPrefix("cn_resident_id_15 ") }?.value, "legacy ID reported")
        #expect(a[upgradedKey] == legacyHash)
        // Different values, different hashes.
        let allHashes = first.findings.map(\.hash)
        #expect(Set(allHashes).count == Set(first.findings.map { $0.kind + $0.masked }).count - 1)

        // Same key, same hashes on the next run (the key is loaded, not regenerated).
        let again = try scan(keyOne)
        #expect(again.findings.map(\.hash) == first.findings.map(\.hash))
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyOne)) == keyBytes)

        // Another key: same masks, every hash different.
        let second = try scan(keyTwo)
        #expect(try Self.mode(keyTwo) == 0o600)
        #expect(second.findings.map(\.masked) == first.findings.map(\.masked))
        #expect(Set(second.findings.map(\.hash)).isDisjoint(with: Set(allHashes)))
    }

    @Test(
        "a key file named without a folder is created in the working directory, mode 0600",
        arguments: ["installation.key", "k"])
    func bareKeyFileName(name: String) throws {
        let binary = try YujingBinary.locate()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var factory = IdentifierFactory(seed: 6)
        let input = try scratch.write("in/a.csv", text: "身份证号\n\(factory.residentID())\n")
        let work = try scratch.makeDirectory("work")
        let run = try binary.run(
            ["scan", "--format", "json", "--no-progress", "--key-file", name, input],
            workingDirectory: work, captureDirectory: scratch.path("capture"))
        #expect(!run.terminatedBySignal, "yujing crashed on --key-file \(name): \(run.stderrLines.prefix(12))")
        #expect(run.status == 1)
        let key = (work as NSString).appendingPathComponent(name)
        #expect(FileManager.default.fileExists(atPath: key))
        if FileManager.default.fileExists(atPath: key) {
            #expect(try Self.mode(key) == 0o600)
        }
    }

    @Test("without --key-file the key is created at var/yujing.key in the working directory, mode 0600")
    func defaultKeyFile() throws {
        let binary = try YujingBinary.locate()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var factory = IdentifierFactory(seed: 7)
        let input = try scratch.write("in/a.csv", text: "手机\n\(factory.mobile())\n")
        let work = try scratch.makeDirectory("work")
        let run = try binary.run(
            ["scan", "--format", "json", "--no-progress", input], workingDirectory: work,
            captureDirectory: scratch.path("capture"))
        #expect(run.status == 1, "\(run.stderrText)")
        let key = (work as NSString).appendingPathComponent("var/yujing.key")
        #expect(FileManager.default.fileExists(atPath: key))
        if FileManager.default.fileExists(atPath: key) {
            #expect(try Self.mode(key) == 0o600)
        }
    }
}
