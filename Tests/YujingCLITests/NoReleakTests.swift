import Foundation
import Testing

/// Issue 2: "the clear value never leaves the detector". Identifiers are planted in every format and in
/// corrupt files (a truncated XLSX whose raw bytes hold clear IDs, a CSV with an unterminated quote right
/// after an ID, a JSON document that breaks on an ID-shaped token, malformed JSON Lines and XML); both
/// output formats are run; standard output, standard error and every file the runs created are searched
/// for the clear values, the birth dates inside the IDs, and mobile prefixes with their middle digits.
@Suite("No re-leak of clear values")
struct NoReleakTests {
    /// The planted clear values.
    struct Secrets {
        var ids: [String] = []
        var legacy: [String] = []
        var mobiles: [String] = []
        var cards: [String] = []
        var emails: [String] = []
        var others: [String] = []

        /// Every string that must not appear in any output.
        var needles: [String] {
            var out: [String] = []
            for id in ids + legacy.map(IdentifierFactory.upgradeLegacy) {
                out += [id, id.lowercased(), String(id.dropFirst(6).prefix(8)), String(id.prefix(14))]
            }
            out += legacy
            for mobile in mobiles {
                let head = mobile.prefix(3)
                let middle = mobile.dropFirst(3).prefix(4)
                out += [mobile, String(mobile.prefix(7)), "\(head) \(middle)", "\(head)-\(middle)"]
            }
            for card in cards { out += [card, String(card.prefix(card.count - 4))] }
            for email in emails { out += [email, String(email.prefix { $0 != "@" })] }
            var seen: Set<String> = []
            return (out + others).filter { seen.insert($0).inserted }
        }
    }

    @Test("no clear value in stdout, stderr or any created file, in both output formats")
    func clearValuesNeverLeave() throws {
        let binary = try YujingBinary.locate()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let inputDirectory = try scratch.makeDirectory("in")
        let work = try scratch.makeDirectory("work")
        var factory = IdentifierFactory(seed: 0x1EAC)
        var secrets = Secrets()
        func id(_ checkX: Bool = false) -> String {
            let value = factory.residentID(checkX: checkX)
            secrets.ids.append(value)
            return value
        }
        func mobile() -> String {
            let value = factory.mobile()
            secrets.mobiles.append(value)
            return value
        }
        func card() -> String {
            let value = factory.unionPay(length: 19)
            secrets.cards.append(value)
            return value
        }
        func email() -> String {
            let value = factory.email(domain: "163.com")
            secrets.emails.append(value)
            return value
        }

        // Readable files in every format.
        let xID = id(true)
        let grouped = mobile()
        let passport = factory.passport()
        let uscc = factory.uscc(prefix: "92")
        secrets.others += [passport, uscc]
        try scratch.write(
            "in/leak.csv",
            text: """
                姓名,身份证号,手机,银行卡号,邮箱,护照号码,统一社会信用代码
                张伟,\(xID.lowercased()),+86 \(grouped.prefix(3)) \(grouped.dropFirst(3).prefix(4)) \(grouped.suffix(4)),\(card()),\(email()),\(passport),\(uscc)
                李娜,\(id()),\(mobile()),\(card()),\(email()),,

                """)
        try scratch.write(
            "in/leak.json",
            text:
                "[{\"sfzh\": \"\(id())\", \"phone\": \"\(mobile())\", \"card_no\": \(card()), \"email\": \"\(email())\"}]\n"
        )
        // Valid JSON keyed by ID number (a common export shape): the key must not surface as a column name.
        try scratch.write("in/leak-keys.json", text: "{\"\(id())\": {\"mobile\": \"\(mobile())\"}}\n")
        let legacy = factory.legacyID()
        secrets.legacy.append(legacy)
        try scratch.write(
            "in/leak.txt", text: "申请人身份证号码\(id())，联系电话\(mobile())，旧身份证\(legacy)。\n")
        try scratch.write(
            "in/leak.xml", text: "<r>\n  <p sfzh=\"\(id())\">\n    <mobile>\(mobile())</mobile>\n  </p>\n</r>\n")
        // JSON Lines: a good line, a malformed line and a line with an ID as a bare token (warnings).
        try scratch.write(
            "in/leak.jsonl",
            text:
                "{\"idcard\": \"\(id())\"}\n{\"idcard\": \"\(id())\", \"phone\": \(mobile()), \n{\"sfzh\": \(id(true))}\n"
        )
        var book = WorkbookBuilder(name: "leak.xlsx")
        book.sheet(
            "人员", header: ["姓名", "身份证号", "手机"],
            rows: [[.text("王芳"), .plant(.id(id()), numeric: false), .plant(.mobile(mobile()), numeric: true)]])
        try book.write(to: scratch.path("in/leak.xlsx"), workDirectory: work)

        // Corrupt files holding clear values.
        let truncatedID = id()
        let truncatedMobile = mobile()
        let truncated = try Self.truncatedWorkbook(id: truncatedID, mobile: truncatedMobile, work: work)
        try #require(
            Self.contains(truncated, truncatedID) && Self.contains(truncated, truncatedMobile),
            "the truncated workbook must hold the clear values in its raw bytes")
        try scratch.write("in/corrupt-truncated.xlsx", bytes: truncated)
        try scratch.write(
            "in/corrupt-quote.csv", text: "姓名,身份证号,手机\n张伟,\(id())\",\(mobile())\n李娜,\"\(id()),\(mobile())\n")
        try scratch.write(
            "in/corrupt-token.json",
            text: "{\"mobile\": \"\(mobile())\", \"sfzh\": \(id(true))x, \"card\": \(card())}\n")
        let tagID = id()
        try scratch.write("in/corrupt-tag.xml", text: "<r><p><\(tagID)>\(mobile())</\(tagID)><q a=\(id())>\n")
        try scratch.write(
            "in/corrupt-deep.json",
            text: String(repeating: "[", count: 5_000) + "\"\(id())\"" + String(repeating: "]", count: 10))

        let inputs = Set(scratch.allFiles())
        let needles = secrets.needles
        var searched = 0
        var leaks: [String] = []
        func search(_ data: Data, in place: String) {
            searched += 1
            for needle in needles where Self.contains([UInt8](data), needle) {
                leaks.append("\(needle) in \(place)")
            }
        }

        for format in ["json", "table"] {
            let run = try binary.run(
                [
                    "scan", "--format", format, "--no-progress", "--key-file", scratch.path("work/yujing.key"),
                    "--today", "2026-06-01", inputDirectory,
                ],
                workingDirectory: work, captureDirectory: scratch.path("capture"))
            #expect(!run.terminatedBySignal, "yujing crashed: \(run.stderrLines.prefix(10))")
            #expect(run.status == 2, "corrupt inputs make the exit status 2 (\(format))")
            #expect(!run.stderrLines.isEmpty, "errors for the corrupt inputs are reported (\(format))")
            // Positive control: the readable files were scanned and reported, masked.
            #expect(run.stdoutText.contains(Plant.id(xID).masked), "masked ID reported (\(format))")
            #expect(run.stdoutText.contains(Plant.mobile(grouped).masked), "masked mobile reported (\(format))")
            search(run.stdout, in: "stdout (\(format))")
            search(run.stderr, in: "stderr (\(format))")
        }
        // Every file the runs created (key file, captured streams, anything else), never the inputs.
        for path in scratch.allFiles() where !inputs.contains(path) {
            search(try Data(contentsOf: URL(fileURLWithPath: path)), in: path)
        }
        #expect(FileManager.default.fileExists(atPath: scratch.path("work/yujing.key")))
        #expect(searched >= 7)
        #expect(leaks.isEmpty, "clear values leaked:\n\(leaks.joined(separator: "\n"))")
    }

    /// Whether `haystack` holds the UTF-8 bytes of `needle`.
    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
        var index = 0
        while index + pattern.count <= haystack.count {
            if haystack[index] == pattern[0], Array(haystack[index..<(index + pattern.count)]) == pattern {
                return true
            }
            index += 1
        }
        return false
    }

    /// A workbook with uncompressed (stored) entries holding `id` and `mobile` as inline strings, cut off
    /// right after the clear values: the central directory is gone, the raw bytes still hold the values.
    static func truncatedWorkbook(id: String, mobile: String, work: String) throws -> [UInt8] {
        try ExternalTool.requirePythonModule("zipfile", pipPackage: "(standard library)", in: work)
        let script = """
            import sys, zipfile
            sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c><c r="B1" t="inlineStr"><is><t>手机</t></is></c></row>'
                '<row r="2"><c r="A2" t="inlineStr"><is><t>' + sys.argv[2] + '</t></is></c>'
                '<c r="B2" t="inlineStr"><is><t>' + sys.argv[3] + '</t></is></c></row>'
                '</sheetData></worksheet>')
            files = {
                '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
                '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
                'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
                'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
                'xl/worksheets/sheet1.xml': sheet,
            }
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED) as z:
                for name, text in files.items():
                    z.writestr(name, text.encode('utf-8'))
            """
        let scriptPath = (work as NSString).appendingPathComponent(".stored-xlsx.py")
        let outPath = (work as NSString).appendingPathComponent(".stored.xlsx")
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        defer {
            try? FileManager.default.removeItem(atPath: scriptPath)
            try? FileManager.default.removeItem(atPath: outPath)
        }
        try ExternalTool.check(["python3", scriptPath, outPath, id, mobile], in: work)
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: outPath)))
        // Cut 40 bytes after the mobile (which follows the ID in the sheet entry).
        let pattern = Array(mobile.utf8)
        var end = whole.count / 2
        var index = 0
        while index + pattern.count <= whole.count {
            if Array(whole[index..<(index + pattern.count)]) == pattern {
                end = index + pattern.count + 40
                break
            }
            index += 1
        }
        return Array(whole.prefix(min(end, whole.count - 1)))
    }
}
