import Testing

@testable import YujingFormats

@Suite("Format detection")
struct DatasetFormatTests {
    @Test func extensionsDecide() {
        let sample = Array("a,b\n".utf8)
        #expect(DatasetFormat.detect(path: "/x/data.CSV", sample: sample) == .csv)
        #expect(DatasetFormat.detect(path: "data.tsv", sample: sample) == .tsv)
        #expect(DatasetFormat.detect(path: "notes.txt", sample: sample) == .text)
        #expect(DatasetFormat.detect(path: "d.ndjson", sample: Array("{}".utf8)) == .jsonLines)
        #expect(DatasetFormat.detect(path: "d.jsonl", sample: Array("{}".utf8)) == .jsonLines)
        #expect(DatasetFormat.detect(path: "d.json", sample: Array("[1,\n2]\n".utf8)) == .json)
        #expect(DatasetFormat.detect(path: "d.xml", sample: sample) == .xml)
        #expect(DatasetFormat.detect(path: "d.xlsx", sample: sample) == .xlsx)
    }

    @Test func contentDecidesWithoutAKnownExtension() {
        #expect(DatasetFormat.detect(path: "export", sample: [0x50, 0x4B, 0x03, 0x04, 0x14]) == .xlsx)
        #expect(DatasetFormat.detect(path: "data.csv", sample: [0x50, 0x4B, 0x03, 0x04]) == .xlsx)
        #expect(DatasetFormat.detect(path: "export", sample: Array("\u{FEFF}  {\"a\": [1]}".utf8)) == .json)
        #expect(DatasetFormat.detect(path: "export", sample: Array("{\"a\":\"}\"}\n{\"a\":2}\n".utf8)) == .jsonLines)
        #expect(DatasetFormat.detect(path: "export.dat", sample: Array("\n<root/>".utf8)) == .xml)
        #expect(DatasetFormat.detect(path: "export", sample: Array("hello".utf8)) == .text)
        #expect(DatasetFormat.detect(path: "export", sample: []) == .text)
        let utf16: [UInt8] = [0xFF, 0xFE, 0x3C, 0x00, 0x61, 0x00]
        #expect(DatasetFormat.detect(path: "export", sample: utf16) == .xml)
    }

    @Test func errorsNameTheProblemButNotTheContent() {
        let error = FormatError.malformed(format: .jsonLines, line: 12, reason: "unterminated string")
        #expect(error.description == "malformed JSON Lines at line 12: unterminated string")
        #expect(FormatError.recordTooLong(line: 3, limit: 10).line == 3)
        #expect(FormatError.cannotOpen(path: "/nope", errno: 2).description.contains("/nope"))
    }
}
