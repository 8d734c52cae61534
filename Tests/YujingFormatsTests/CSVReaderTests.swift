import Testing

@testable import YujingFormats

@Suite("CSV and TSV")
struct CSVReaderTests {
    static let quotedCSV =
        "\"姓名\",\"备注\",\"身份证号\"\r\n"
        + "\"张三\",\"说 \"\"你好\"\"\r\n第二行\",110105199001011234\r\n"
        + "李四,\"a,b\",\r\n"
        + "\r\n"
        + "王五,\"x\"tail,11010519900101123X"

    @Test func quotedMultilineCRLFWithHeader() throws {
        let directory = try TestDirectory()
        let (sink, report) = try read(try directory.write("people.csv", Self.quotedCSV))
        #expect(report.format == .csv)
        #expect(report.encoding == .utf8)
        #expect(sink.fields == [0: "姓名", 1: "备注", 2: "身份证号"])
        #expect(
            sink.values == [
                "张三", "说 \"你好\"\r\n第二行", "110105199001011234", "李四", "a,b", "王五", "xtail",
                "11010519900101123X",
            ])
        let id = try #require(sink.cell("110105199001011234"))
        #expect(id.position == CellPosition(field: 2, line: 3, record: 1))
        #expect(sink.cell("李四")?.position == CellPosition(field: 0, line: 4, record: 2))
        #expect(sink.cell("王五")?.position == CellPosition(field: 0, line: 6, record: 3))
        #expect(sink.tables == [nil])
        #expect(sink.endedTables == 1)
        #expect(sink.progressReports.last == Int64(Self.quotedCSV.utf8.count))
    }

    @Test(arguments: [1, 2, 3, 5, 7, 11, 16, 64])
    func chunkBoundariesGiveTheSameCells(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let path = try directory.write("people.csv", Self.quotedCSV)
        let (expected, _) = try read(path)
        let (sink, _) = try read(path, chunkSize: chunkSize)
        #expect(sink.cells == expected.cells)
        #expect(sink.fields == expected.fields)
    }

    @Test func bomAndSemicolonDelimiter() throws {
        let directory = try TestDirectory()
        let text = "\u{FEFF}name;phone;city\nWang;13812345678;\"Shang;hai\"\nLi;13912345678;Beijing\n"
        let path = try directory.write("s.csv", text)
        let (sink, report) = try read(path)
        #expect(report.encoding == .utf8BOM)
        #expect(sink.fields == [0: "name", 1: "phone", 2: "city"])
        #expect(sink.values(of: "phone") == ["13812345678", "13912345678"])
        #expect(sink.values(of: "city") == ["Shang;hai", "Beijing"])
    }

    @Test func tabDelimitedByExtensionAndBySniffing() throws {
        let directory = try TestDirectory()
        let text = "证件号\t手机\n110105199001011234\t13812345678\n"
        for name in ["t.tsv", "t.csv"] {
            let (sink, _) = try read(try directory.write(name, text))
            #expect(sink.fields == [0: "证件号", 1: "手机"])
            #expect(sink.values == ["110105199001011234", "13812345678"])
        }
    }

    @Test func pipeDelimiterAndCarriageReturnLines() throws {
        let directory = try TestDirectory()
        let (sink, _) = try read(try directory.write("p.csv", "a|b\r1|2\r3|4\r"))
        #expect(sink.fields == [0: "a", 1: "b"])
        #expect(sink.cell("3")?.position == CellPosition(field: 0, line: 3, record: 2))
    }

    @Test func numericFirstRowIsData() throws {
        let directory = try TestDirectory()
        let text = "张三,110105199001011234,13812345678\n李四,11010519900101123X,13912345678\n"
        let (sink, _) = try read(try directory.write("n.csv", text))
        #expect(sink.fields.isEmpty)
        #expect(sink.cells.first == RecordedCell(value: "张三", position: CellPosition(field: 0, line: 1, record: 1)))
        #expect(sink.cell("13912345678")?.position == CellPosition(field: 2, line: 2, record: 2))
    }

    @Test func unterminatedQuoteIsAnErrorWithLineAndNoContent() throws {
        let directory = try TestDirectory()
        let path = try directory.write("u.csv", "a,b\n1,2\n3,\"secret 110105199001011234\n")
        let error = try #require(readError(path))
        #expect(error == .malformed(format: .csv, line: 3, reason: "unterminated quoted field"))
        #expect(error.line == 3)
        #expect(!error.description.contains("110105199001011234"))
        #expect(!error.description.contains("secret"))
    }

    @Test func recordLongerThanTheLimitIsAnError() throws {
        let directory = try TestDirectory()
        let long = String(repeating: "x", count: 5000)
        let path = try directory.write("l.csv", "a,b\n1,\"\(long)\n\(long)\"\n")
        let error = readError(path, limits: ReaderLimits(maxRecordBytes: 1024), chunkSize: 256)
        #expect(error == .recordTooLong(line: 2, limit: 1024))
    }
}
