/// The structure of an XLSX workbook: its worksheets in workbook order and its shared-strings part,
/// read from `xl/workbook.xml` and `xl/_rels/workbook.xml.rels`.
struct XLSXWorkbook {
    /// A worksheet: its name and the archive path of its part.
    struct Sheet {
        var name: String
        var path: String
    }

    var sheets: [Sheet] = []
    var sharedStringsPath: String?

    /// Reads the workbook structure from `archive`.
    static func load(from archive: XLSXArchive, limits: ReaderLimits) throws(FormatError) -> XLSXWorkbook {
        var declared: [(name: String, relationship: String?)] = []
        var tokenizer = XMLTokenizer(maxDepth: limits.maxDepth, maxTextBytes: limits.maxRecordBytes, format: .xlsx)
        try archive.stream("xl/workbook.xml") { (bytes, isFinal) throws(FormatError) -> Int in
            tokenizer.reset(bytes, isFinal: isFinal)
            while let event = try tokenizer.next() {
                guard case .startElement(let name) = event, XLSXNames.local(name) == "sheet" else { continue }
                let sheetName = XLSXNames.attribute("name", in: tokenizer.attributes) ?? ""
                declared.append((sheetName, XLSXNames.attribute("id", in: tokenizer.attributes)))
            }
            if isFinal { try tokenizer.finish() }
            return tokenizer.consumed
        }
        var targets: [String: String] = [:]
        var sharedStrings: String?
        let relationships = "xl/_rels/workbook.xml.rels"
        if archive.contains(relationships) {
            var relTokenizer = XMLTokenizer(
                maxDepth: limits.maxDepth, maxTextBytes: limits.maxRecordBytes, format: .xlsx)
            try archive.stream(relationships) { (bytes, isFinal) throws(FormatError) -> Int in
                relTokenizer.reset(bytes, isFinal: isFinal)
                while let event = try relTokenizer.next() {
                    guard case .startElement(let name) = event, XLSXNames.local(name) == "Relationship",
                        let id = XLSXNames.attribute("Id", in: relTokenizer.attributes),
                        let target = XLSXNames.attribute("Target", in: relTokenizer.attributes)
                    else { continue }
                    let path = XLSXNames.resolve(target: target)
                    targets[id] = path
                    if XLSXNames.attribute("Type", in: relTokenizer.attributes)?.hasSuffix("/sharedStrings") == true {
                        sharedStrings = path
                    }
                }
                if isFinal { try relTokenizer.finish() }
                return relTokenizer.consumed
            }
        }
        var workbook = XLSXWorkbook()
        for (index, sheet) in declared.enumerated() {
            let fallback = "xl/worksheets/sheet\(index + 1).xml"
            let path = sheet.relationship.flatMap { targets[$0] } ?? fallback
            workbook.sheets.append(Sheet(name: sheet.name, path: path))
        }
        if sharedStrings == nil && archive.contains("xl/sharedStrings.xml") {
            sharedStrings = "xl/sharedStrings.xml"
        }
        workbook.sharedStringsPath = sharedStrings
        return workbook
    }
}
