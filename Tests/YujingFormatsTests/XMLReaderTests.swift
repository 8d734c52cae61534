import Testing

@testable import YujingFormats

@Suite("XML")
struct XMLReaderTests {
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE root [ <!ENTITY boom "x"> ]>
        <!-- a comment with <record> inside -->
        <root version="2">
          <record id="7" type='a&amp;b'>
            <sfzh>110105199001011234</sfzh>
            <name><![CDATA[张<三>]]></name>
            <note>A &amp; B &lt;x&gt; &#x4E2D;&#25991; &boom;</note>
            <empty/>
          </record>
          <record id="8"><?pi ignored?><sfzh>
            11010519900101123X</sfzh></record>
        </root>
        """

    @Test func elementsAttributesCDATAAndEntities() throws {
        let directory = try TestDirectory()
        let (sink, report) = try read(try directory.write("d.xml", Self.document))
        #expect(report.format == .xml)
        #expect(sink.values(of: "/root/record/sfzh") == ["110105199001011234", "11010519900101123X"])
        #expect(sink.values(of: "/root/record/@id") == ["7", "8"])
        #expect(sink.values(of: "/root/record/@type") == ["a&b"])
        #expect(sink.values(of: "/root/record/name") == ["张<三>"])
        #expect(sink.values(of: "/root/record/note") == ["A & B <x> 中文 &boom;"])
        #expect(sink.values(of: "/root/@version") == ["2"])
        #expect(sink.cell("110105199001011234")?.position.line == 6)
        #expect(sink.cell("110105199001011234")?.position.record == 1)
        #expect(sink.cell("11010519900101123X")?.position.line == 12)
        #expect(sink.cell("11010519900101123X")?.position.record == 2)
        #expect(sink.cell("8")?.position.line == 11)
        #expect(sink.duplicateDefinitions == 0)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13])
    func chunkBoundariesGiveTheSameCells(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let path = try directory.write("d.xml", Self.document)
        let (expected, _) = try read(path)
        let (sink, _) = try read(path, chunkSize: chunkSize)
        #expect(sink.cells == expected.cells)
    }

    @Test func mismatchedTagsAndDepthAreErrors() throws {
        let directory = try TestDirectory()
        let mismatch = readError(try directory.write("m.xml", "<a>\n<b>x</c></a>"))
        #expect(mismatch == .malformed(format: .xml, line: 2, reason: "end tag does not match the start tag"))
        let bomb = String(repeating: "<a>", count: 1000) + String(repeating: "</a>", count: 1000)
        #expect(readError(try directory.write("deep.xml", bomb)) == .tooDeep(line: 1, limit: 128))
        let truncated = readError(try directory.write("t.xml", "<a><b>text</b>"))
        #expect(truncated?.description.contains("unexpected end of document") == true)
    }
}
