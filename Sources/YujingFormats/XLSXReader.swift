/// Reads every worksheet of an XLSX workbook, in workbook order, as one table each.
struct XLSXReader {
    let path: String
    let limits: ReaderLimits
    let chunkSize: Int

    func read<S: CellSink>(into sink: inout S) throws(FormatError) -> Int64 {
        let archive = try XLSXArchive(path: path, limits: limits, chunkSize: chunkSize)
        let workbook = try XLSXWorkbook.load(from: archive, limits: limits)
        let strings = SharedStringTable(limit: limits.maxSharedStringsBytes)
        if let sharedStrings = workbook.sharedStringsPath {
            var parser = SharedStringTable.Parser(table: strings, limits: limits)
            try archive.stream(sharedStrings) { (bytes, isFinal) throws(FormatError) -> Int in
                try parser.parse(bytes, isFinal: isFinal)
            }
        }
        for sheet in workbook.sheets {
            var parser = XLSXSheetParser(strings: strings, limits: limits)
            sink.beginTable(sheet: sheet.name)
            do {
                try archive.stream(
                    sheet.path,
                    progress: { sink.progress(bytesConsumed: $0) },
                    { (bytes, isFinal) throws(FormatError) -> Int in
                        try parser.parse(bytes, isFinal: isFinal, sink: &sink)
                    }
                )
            } catch {
                sink.endTable()
                throw error
            }
            sink.endTable()
        }
        return archive.compressedRead
    }
}
