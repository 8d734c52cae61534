import YujingFormats

/// One value as the sink saw it.
struct RecordedCell: Equatable {
    var value: String
    var position: CellPosition
}

/// A ``CellSink`` that records everything, for assertions.
struct RecordingSink: CellSink {
    var tables: [String?] = []
    var endedTables = 0
    var fields: [Int: String] = [:]
    var duplicateDefinitions = 0
    var cells: [RecordedCell] = []
    var progressReports: [Int64] = []

    mutating func beginTable(sheet: String?) {
        tables.append(sheet)
    }

    mutating func defineField(_ id: Int, name: String) {
        if fields[id] != nil { duplicateDefinitions += 1 }
        fields[id] = name
    }

    mutating func cell(_ value: UnsafeRawBufferPointer, at position: CellPosition) {
        cells.append(RecordedCell(value: String(decoding: value, as: UTF8.self), position: position))
    }

    mutating func endTable() {
        endedTables += 1
    }

    mutating func progress(bytesConsumed: Int64) {
        progressReports.append(bytesConsumed)
    }

    var values: [String] { cells.map(\.value) }

    /// Values of the field named `name`, in order.
    func values(of name: String) -> [String] {
        cells.filter { fields[$0.position.field] == name }.map(\.value)
    }

    /// The first cell whose value is `value`.
    func cell(_ value: String) -> RecordedCell? {
        cells.first { $0.value == value }
    }
}
