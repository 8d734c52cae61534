import Foundation
import Testing
import ZIPFoundation

@testable import YujingFormats

@Suite("XLSX")
struct XLSXReaderTests {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="xml" ContentType="application/xml"/></Types>
        """
    static let workbook = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
        <sheets><sheet name="人员名单" sheetId="1" r:id="rId1"/><sheet name="Raw" sheetId="2" r:id="rId3"/></sheets>
        </workbook>
        """
    static let relationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>
        <Relationship Id="rId2" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
        Target="sharedStrings.xml"/>
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="/xl/worksheets/sheet2.xml"/>
        </Relationships>
        """
    static let sharedStrings = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
        <si><t>姓名</t></si><si><t>身份证号</t></si><si><t>手机</t></si>
        <si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三</t></r><rPh><t>zhang</t></rPh></si>
        <si><t>备注 &amp; 说明</t></si>
        </sst>
        """
    static let sheet1 = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
        <c r="D1" t="s"><v>4</v></c></row>
        <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>1.10105199E+17</v></c><c r="C2"><v>13812345678</v></c>\
        <c r="D2" t="inlineStr"><is><t>内联</t></is></c></row>
        <row r="4"><c r="B4" t="str"><f>A1</f><v>11010519900101123X</v></c><c r="E4" t="b"><v>1</v></c>\
        <c r="F4" t="e"><v>#N/A</v></c></row>
        </sheetData></worksheet>
        """
    static let sheet2 = """
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="3"><c r="C3"><v>13912345678</v></c></row></sheetData></worksheet>
        """

    static func makeWorkbook(at path: String, sheet1: String = sheet1, compress: Bool = true) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let parts = [
            ("[Content_Types].xml", contentTypes), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", relationships), ("xl/sharedStrings.xml", sharedStrings),
            ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet2.xml", sheet2),
        ]
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: compress ? .deflate : .none
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    @Test func sharedStringsNumbersAndHeader() throws {
        let directory = try TestDirectory()
        let path = directory.path("book.xlsx")
        try Self.makeWorkbook(at: path)
        let (sink, report) = try read(path)
        #expect(report.format == .xlsx)
        #expect(sink.tables == ["人员名单", "Raw"])
        #expect(sink.endedTables == 2)
        #expect(sink.values(of: "姓名") == ["张三"])
        #expect(sink.values(of: "身份证号") == ["1.10105199E+17", "11010519900101123X"])
        #expect(sink.values(of: "备注 & 说明") == ["内联"])
        let number = try #require(sink.cell("1.10105199E+17"))
        #expect(number.position == CellPosition(field: 1, line: 0, record: 1, row: 2, isNumeric: true))
        #expect(sink.cell("13812345678")?.position.isNumeric == true)
        #expect(sink.cell("11010519900101123X")?.position == CellPosition(field: 1, line: 0, record: 2, row: 4))
        #expect(sink.cell("TRUE")?.position.field == 4)
        #expect(!sink.values.contains("#N/A") && !sink.values.contains("zhang"))
        // Second sheet: a numeric first row is data, and fields are named by column letter.
        let last = try #require(sink.cells.last)
        #expect(last == RecordedCell(value: "13912345678", position: CellPosition(
            field: 2, line: 0, record: 1, row: 3, isNumeric: true)))
        #expect(sink.fields[2] == "C")
        #expect(report.bytesRead > 0)
    }

    @Test(arguments: [64, 100, 257])
    func smallChunksGiveTheSameCells(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let path = directory.path("book.xlsx")
        try Self.makeWorkbook(at: path, compress: false)
        let (expected, _) = try read(path)
        let (sink, _) = try read(path, chunkSize: chunkSize)
        #expect(sink.cells == expected.cells)
        #expect(sink.cells.count == 7)
    }

    @Test func zipBombIsRejected() throws {
        let directory = try TestDirectory()
        let path = directory.path("bomb.xlsx")
        let padding = String(repeating: " ", count: 20 << 20)
        try Self.makeWorkbook(at: path, sheet1: "<worksheet>" + padding + "</worksheet>")
        let error = try #require(readError(path))
        #expect(error == .compressionRatioTooHigh(entry: "xl/worksheets/sheet1.xml", limit: 200))
        #expect(error.description.contains("zip bomb"))
    }

    @Test func totalDecompressionBudgetIsEnforced() throws {
        let directory = try TestDirectory()
        let path = directory.path("book.xlsx")
        try Self.makeWorkbook(at: path)
        let error = readError(path, limits: ReaderLimits(maxDecompressedBytes: 1500))
        #expect(error == .decompressedTooLarge(limit: 1500))
    }

    @Test func sharedStringsTableIsBounded() throws {
        let directory = try TestDirectory()
        let path = directory.path("book.xlsx")
        try Self.makeWorkbook(at: path)
        #expect(readError(path, limits: ReaderLimits(maxSharedStringsBytes: 40)) == .sharedStringsTooLarge(limit: 40))
    }

    @Test func notAZipIsAClearError() throws {
        let directory = try TestDirectory()
        let path = try directory.write("fake.xlsx", "name,phone\n")
        #expect(readError(path) == .invalidArchive(reason: "not a readable ZIP archive"))
    }
}

extension XLSXReaderTests {
    /// Rewrites the declared uncompressed size of `entry` in both its local and central headers.
    static func understateSize(of entry: String, in path: String, as size: UInt32) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array(entry.utf8)
        var patched = 0
        for index in 0..<(bytes.count - 46) where bytes[index] == 0x50 && bytes[index + 1] == 0x4B {
            let kind = (bytes[index + 2], bytes[index + 3])
            let (nameOffset, sizeOffset) = kind == (1, 2) ? (46, 24) : kind == (3, 4) ? (30, 22) : (0, 0)
            guard nameOffset > 0, index + nameOffset + name.count <= bytes.count,
                Array(bytes[(index + nameOffset)..<(index + nameOffset + name.count)]) == name
            else { continue }
            for byte in 0..<4 { bytes[index + sizeOffset + byte] = UInt8(truncatingIfNeeded: size >> (8 * byte)) }
            patched += 1
        }
        #expect(patched == 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func zipBombWithLyingHeadersIsStoppedWhileExtracting() throws {
        let directory = try TestDirectory()
        let path = directory.path("liar.xlsx")
        let padding = String(repeating: " ", count: 20 << 20)
        try Self.makeWorkbook(at: path, sheet1: "<worksheet>" + padding + "</worksheet>")
        try Self.understateSize(of: "xl/worksheets/sheet1.xml", in: path, as: 1000)
        let error = readError(path)
        #expect(error == .compressionRatioTooHigh(entry: "xl/worksheets/sheet1.xml", limit: 200))
    }
}
