import Testing

@testable import YujingFormats

@Suite("Encodings")
struct EncodingTests {
    static let table =
        "身份证号,姓名,手机\n110105199001011234,张三,13812345678\n"
        + "11010519900101123X,欧阳娜娜,13912345678\n"

    @Test func gbkBytesOfTheHeaderAreAsExpected() throws {
        let bytes = try encode("身份证号", to: "GB18030")
        #expect(bytes == [0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0xBA, 0xC5])
    }

    @Test(arguments: [nil, 1, 2, 3, 5, 9])
    func gbkIsDetectedAndTranscoded(chunkSize: Int?) throws {
        let directory = try TestDirectory()
        let path = try directory.write("gbk.csv", bytes: try encode(Self.table, to: "GBK"))
        let (sink, report) = try read(path, chunkSize: chunkSize)
        #expect(report.encoding == .gb18030)
        #expect(report.replacedSequences == 0)
        #expect(sink.fields == [0: "身份证号", 1: "姓名", 2: "手机"])
        #expect(sink.values(of: "姓名") == ["张三", "欧阳娜娜"])
        #expect(sink.cell("13912345678")?.position == CellPosition(field: 2, line: 3, record: 2))
    }

    @Test(arguments: [nil, 1, 3, 4])
    func utf16LittleEndianWithBOM(chunkSize: Int?) throws {
        let directory = try TestDirectory()
        let bytes: [UInt8] = [0xFF, 0xFE] + (try encode(Self.table, to: "UTF-16LE"))
        let (sink, report) = try read(try directory.write("u16.csv", bytes: bytes), chunkSize: chunkSize)
        #expect(report.encoding == .utf16LE)
        #expect(sink.fields[1] == "姓名")
        #expect(sink.values(of: "身份证号") == ["110105199001011234", "11010519900101123X"])
    }

    @Test func utf16BigEndianWithBOM() throws {
        let directory = try TestDirectory()
        let bytes: [UInt8] = [0xFE, 0xFF] + (try encode("a\n张三\n", to: "UTF-16BE"))
        let (sink, report) = try read(try directory.write("u16.txt", bytes: bytes))
        #expect(report.encoding == .utf16BE)
        #expect(sink.values == ["a", "张三"])
    }

    @Test func invalidGBKSequencesAreReplacedAndCounted() throws {
        let directory = try TestDirectory()
        let bytes: [UInt8] =
            (try encode("姓名\n", to: "GBK")) + [0x81, 0x20, 0x0A] + (try encode("张三\n", to: "GBK"))
        let (sink, report) = try read(try directory.write("bad.txt", bytes: bytes))
        #expect(report.encoding == .gb18030)
        #expect(report.replacedSequences == 1)
        #expect(sink.values == ["姓名", "\u{FFFD} ", "张三"])
    }

    @Test func detectorAcceptsUTF8TruncatedAtTheSampleEnd() {
        let bytes: [UInt8] = Array("abc张".utf8).dropLast()
        bytes.withUnsafeBytes { buffer in
            #expect(EncodingDetector.detect(buffer, isWholeFile: false) == .utf8)
            #expect(EncodingDetector.detect(buffer, isWholeFile: true) == .gb18030)
        }
    }
}
