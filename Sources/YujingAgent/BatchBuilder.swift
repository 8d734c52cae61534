import YujingCore

/// Accumulates the encoded events of one batch of consecutive lines of one file.
struct BatchBuilder {
    let start: UInt64
    var writer = JSONWriter(capacity: 64 * 1024)
    var count = 0

    init(start: UInt64) {
        self.start = start
    }

    mutating func append(_ event: AccessEvent) {
        if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        EventEncoder.append(event, to: &writer)
        count += 1
    }

    /// The batch: id `<file key>@<start>-<end>`, the same for the same lines whenever they are re-sent.
    func finish(file: TrackedFile) -> LogTailer.Output {
        .batch(id: "\(file.key)@\(start)-\(file.offset)", events: writer.bytes, count: count, position: file.position)
    }
}
