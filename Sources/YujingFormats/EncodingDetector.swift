/// Detects the text encoding of a file from its first bytes.
enum EncodingDetector {
    /// How many bytes of a file the detector looks at.
    static let sampleSize = 64 << 10

    /// Detects the encoding of a file that starts with `sample`.
    ///
    /// A byte-order mark decides; otherwise the sample is UTF-8 when it validates as UTF-8 (an incomplete
    /// sequence at its very end is allowed when `isWholeFile` is false), and GB18030 when it does not.
    /// - Parameters:
    ///   - sample: The first bytes of the file.
    ///   - isWholeFile: Whether `sample` is the entire file.
    /// - Returns: The encoding.
    static func detect(_ sample: UnsafeRawBufferPointer, isWholeFile: Bool) -> TextEncoding {
        let count = sample.count
        if count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF { return .utf8BOM }
        if count >= 2, sample[0] == 0xFF, sample[1] == 0xFE { return .utf16LE }
        if count >= 2, sample[0] == 0xFE, sample[1] == 0xFF { return .utf16BE }
        return isValidUTF8(sample, allowTruncatedEnd: !isWholeFile) ? .utf8 : .gb18030
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer, allowTruncatedEnd: Bool) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            for offset in 1..<length {
                guard index + offset < count else { return allowTruncatedEnd }
                let byte = bytes[index + offset]
                let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= low, byte <= high else { return false }
            }
            index += length
        }
        return true
    }
}
