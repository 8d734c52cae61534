import Glibc

/// Streaming conversion to UTF-8 with glibc `iconv`.
///
/// Sequences split across chunk boundaries are reported as ``Stop/incomplete`` so that the caller keeps
/// the tail and retries once more input has arrived. Not `Sendable`: an iconv descriptor holds shift state.
final class Transcoder {
    /// Why a ``convert(_:into:)`` call stopped.
    enum Stop {
        /// All input was converted.
        case inputExhausted
        /// The output space is full.
        case outputFull
        /// The input ends inside a multibyte sequence.
        case incomplete
        /// The input holds an invalid sequence at the stop position.
        case invalid
    }

    private let handle: iconv_t

    /// Opens a converter from `encoding` (an iconv name such as `GB18030`) to UTF-8.
    init(from encoding: String) throws(FormatError) {
        let opened = iconv_open("UTF-8", encoding)
        guard let opened, Int(bitPattern: opened) != -1 else {
            throw .unsupportedEncoding(encoding)
        }
        handle = opened
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts from the front of `input` into `output`.
    /// - Returns: Bytes consumed and produced, and why conversion stopped.
    func convert(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> (consumed: Int, produced: Int, stop: Stop) {
        guard let inBase = input.baseAddress, input.count > 0 else { return (0, 0, .inputExhausted) }
        guard let outBase = output.baseAddress, output.count > 0 else { return (0, 0, .outputFull) }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase)
            .assumingMemoryBound(to: CChar.self)
        var outPointer: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        var outLeft = output.count
        let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        let consumed = input.count - inLeft
        let produced = output.count - outLeft
        if result != -1 { return (consumed, produced, .inputExhausted) }
        switch errno {
        case E2BIG: return (consumed, produced, .outputFull)
        case EINVAL: return (consumed, produced, .incomplete)
        default: return (consumed, produced, .invalid)
        }
    }
}
