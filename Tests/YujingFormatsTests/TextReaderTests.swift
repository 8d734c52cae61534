import Testing

@testable import YujingFormats

@Suite("Plain text")
struct TextReaderTests {
    @Test func everyLineIsACell() throws {
        let directory = try TestDirectory()
        let (sink, report) = try read(try directory.write("a.txt", "第一行 13812345678\r\n\r\nthird\rfourth"))
        #expect(report.format == .text)
        #expect(sink.values == ["第一行 13812345678", "third", "fourth"])
        #expect(sink.cells.map(\.position.line) == [1, 3, 4])
        #expect(sink.cells.map(\.position.record) == [1, 3, 4])
        #expect(sink.cells.allSatisfy { $0.position.field == -1 })
    }

    @Test(arguments: [nil, 1, 7])
    func longLinesArePassedInPiecesOnCharacterBoundaries(chunkSize: Int?) throws {
        let directory = try TestDirectory()
        let long = String(repeating: "身份证号abc", count: 50)
        let path = try directory.write("long.txt", "short\n" + long + "\nend\n")
        let (sink, _) = try read(path, limits: ReaderLimits(maxLineBytes: 64), chunkSize: chunkSize)
        let pieces = sink.cells.filter { $0.position.line == 2 }
        #expect(pieces.count > 1)
        #expect(pieces.map(\.value).joined() == long)
        #expect(pieces.allSatisfy { $0.value.utf8.count <= 64 && !$0.value.contains("\u{FFFD}") })
        #expect(sink.cells.last?.value == "end")
    }
}
