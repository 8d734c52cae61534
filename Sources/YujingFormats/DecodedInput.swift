import Glibc

/// A file read in chunks with read(2), past its byte-order mark, and converted to UTF-8 when needed.
///
/// Invalid sequences in non-UTF-8 input become U+FFFD and are counted; UTF-8 input is passed through
/// unchanged (the readers never require valid UTF-8 to make progress).
final class DecodedInput {
    private let descriptor: Int32
    private let path: String
    private let chunkSize: Int
    private let transcoder: Transcoder?
    private let pending: ByteBuffer
    private var pendingStart = 0
    private var rawEnded = false
    /// Bytes of the file read so far, including the byte-order mark.
    private(set) var rawBytesRead: Int64 = 0
    /// Invalid sequences replaced by U+FFFD so far.
    private(set) var replacedSequences = 0

    /// Opens `path` and skips the byte-order mark of `encoding`.
    init(path: String, encoding: TextEncoding, chunkSize: Int) throws(FormatError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        self.descriptor = descriptor
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        do {
            self.transcoder = try encoding.iconvName.map { name throws(FormatError) in try Transcoder(from: name) }
        } catch {
            close(descriptor)
            throw error
        }
        self.pending = ByteBuffer(capacity: transcoder == nil ? 16 : self.chunkSize + 16)
        let bom = encoding.byteOrderMarkLength
        if bom > 0 {
            lseek(descriptor, off_t(bom), SEEK_SET)
            rawBytesRead = Int64(bom)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `chunkSize` bytes of the file with read(2), retrying on EINTR.
    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws(FormatError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let wanted = min(buffer.count, chunkSize)
        while true {
            let result = Glibc.read(descriptor, base, wanted)
            if result >= 0 {
                rawBytesRead += Int64(result)
                return result
            }
            if errno != EINTR { throw .readFailed(path: path, errno: errno) }
        }
    }

    /// Fills the front of `output` (at least 16 bytes) with UTF-8.
    /// - Returns: Bytes written; 0 only at the end of the file.
    func read(into output: UnsafeMutableRawBufferPointer) throws(FormatError) -> Int {
        guard let transcoder else { return try readRaw(into: output) }
        var produced = 0
        var needInput = pending.count == pendingStart
        while true {
            if needInput {
                if rawEnded {
                    if pending.count > pendingStart {
                        // The file ends inside a multibyte sequence.
                        pending.removeAll()
                        pendingStart = 0
                        replacedSequences += 1
                        produced += appendReplacement(output, at: produced)
                    }
                    return produced
                }
                compactPending()
                pending.reserve(pending.count + chunkSize)
                let space = UnsafeMutableRawBufferPointer(
                    start: pending.base + pending.count, count: pending.capacity - pending.count)
                let read = try readRaw(into: space)
                if read == 0 {
                    rawEnded = true
                } else {
                    pending.count += read
                }
                needInput = false
                continue
            }
            let input = UnsafeRawBufferPointer(start: pending.base + pendingStart, count: pending.count - pendingStart)
            let space = UnsafeMutableRawBufferPointer(
                start: output.baseAddress.map { $0 + produced }, count: output.count - produced)
            let result = transcoder.convert(input, into: space)
            pendingStart += result.consumed
            produced += result.produced
            switch result.stop {
            case .inputExhausted, .incomplete:
                if produced > 0 && result.stop == .inputExhausted { return produced }
                needInput = true
            case .outputFull:
                return produced
            case .invalid:
                guard output.count - produced >= 3 else { return produced }
                pendingStart += 1
                replacedSequences += 1
                produced += appendReplacement(output, at: produced)
            }
        }
    }

    private func compactPending() {
        let remaining = pending.count - pendingStart
        if pendingStart > 0 {
            pending.base.copyMemory(from: pending.base + pendingStart, byteCount: remaining)
            pending.count = remaining
            pendingStart = 0
        }
    }

    private func appendReplacement(_ output: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        guard output.count - offset >= 3 else { return 0 }
        output[offset] = 0xEF
        output[offset + 1] = 0xBF
        output[offset + 2] = 0xBD
        return 3
    }
}
