import Testing

@testable import YujingFormats

@Suite("JSON and JSON Lines")
struct JSONReaderTests {
    static let nested = """
        {"total": 2, "data": [
          {"sfzh": "110105199001011234", "id": 1234567890123456789, "flag": true,
           "info": {"phone": 13812345678, "name": "\\u5f20\\u4e09", "card": 6222021234567890123}},
          {"sfzh": "11010519900101123X", "tags": ["a", "b"], "emoji": "\\ud83d\\ude00", "note": null,
           "a b": "q\\"uote", "amount": -1.5e3}
        ]}
        """

    @Test func nestedDocumentKeepsBigNumbersExact() throws {
        let directory = try TestDirectory()
        let (sink, report) = try read(try directory.write("d.json", Self.nested))
        #expect(report.format == .json)
        #expect(sink.values(of: "$.data[*].id") == ["1234567890123456789"])
        #expect(sink.values(of: "$.data[*].info.card") == ["6222021234567890123"])
        #expect(sink.values(of: "$.data[*].info.name") == ["张三"])
        #expect(sink.values(of: "$.data[*].emoji") == ["😀"])
        #expect(sink.values(of: "$.data[*].tags[*]") == ["a", "b"])
        #expect(sink.values(of: "$.data[*][\"a b\"]") == ["q\"uote"])
        #expect(sink.values(of: "$.data[*].amount") == ["-1.5e3"])
        #expect(sink.values(of: "$.total") == ["2"])
        let card = try #require(sink.cell("6222021234567890123"))
        #expect(card.position.isNumeric)
        #expect(card.position.line == 3)
        #expect(card.position.record == 1)
        #expect(sink.cell("110105199001011234")?.position.isNumeric == false)
        #expect(sink.cell("11010519900101123X")?.position.line == 4)
        #expect(sink.duplicateDefinitions == 0)
        #expect(!sink.values.contains("true") && !sink.values.contains("sfzh"))
    }

    @Test func topLevelArrayItemsAreRecords() throws {
        let directory = try TestDirectory()
        let text = "[{\"sfzh\":\"110105199001011234\"},\n{\"sfzh\":\"11010519900101123X\"}, 42]"
        let (sink, _) = try read(try directory.write("a.json", text))
        #expect(sink.cells.map(\.position.record) == [1, 2, 3])
        #expect(sink.fields[sink.cells[0].position.field] == "$[*].sfzh")
        #expect(sink.fields[sink.cells[2].position.field] == "$[*]")
    }

    @Test(arguments: [1, 2, 3, 4, 7, 13])
    func chunkBoundariesGiveTheSameCells(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let path = try directory.write("d.json", Self.nested)
        let (expected, _) = try read(path)
        let (sink, _) = try read(path, chunkSize: chunkSize)
        #expect(sink.cells == expected.cells)
        #expect(sink.fields == expected.fields)
    }

    @Test func depthBombIsRejected() throws {
        let directory = try TestDirectory()
        let bomb = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = readError(try directory.write("bomb.json", bomb))
        #expect(error == .tooDeep(line: 1, limit: 128))
        let shallow = String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100)
        let (sink, _) = try read(try directory.write("ok.json", shallow))
        #expect(sink.values == ["1"])
    }

    @Test func malformedDocumentReportsItsLine() throws {
        let directory = try TestDirectory()
        let error = try #require(readError(try directory.write("m.json", "{\"a\": \"x\",\n \"b\": }")))
        #expect(error == .malformed(format: .json, line: 2, reason: "unexpected '}'"))
        let leadingZero = readError(try directory.write("z.json", "[0123]"))
        #expect(leadingZero == .malformed(format: .json, line: 1, reason: "invalid number"))
        let unterminated = readError(try directory.write("u.json", "[\"abc"))
        #expect(unterminated == .malformed(format: .json, line: 1, reason: "unterminated string"))
    }

    @Test func jsonLinesSkipsABrokenLineWithAWarning() throws {
        let directory = try TestDirectory()
        let text = """
            {"sfzh": "110105199001011234", "n": 1}
            {"sfzh": "broken
            {"sfzh": "11010519900101123X", "n": 3}

            [13812345678] {"x": 1}
            """
        let (sink, report) = try read(try directory.write("l.jsonl", text))
        #expect(report.format == .jsonLines)
        #expect(report.warnings.map(\.line) == [2, 5])
        #expect(!report.warnings.map(\.description).joined().contains("broken"))
        #expect(sink.values(of: "$.sfzh") == ["110105199001011234", "11010519900101123X"])
        #expect(sink.cell("11010519900101123X")?.position == CellPosition(field: 0, line: 3, record: 3))
        #expect(sink.values(of: "$.n") == ["1", "3"])
    }

    @Test func jsonFileWithOneValuePerLineIsReadAsJSONLines() throws {
        let directory = try TestDirectory()
        let (sink, report) = try read(try directory.write("x.json", "{\"a\":\"1\"}\n{\"a\":\"2\"}\n"))
        #expect(report.format == .jsonLines)
        #expect(sink.cells.map(\.position.record) == [1, 2])
    }
}
