/// Picks the field delimiter of a CSV file from its first records.
enum DelimiterSniffer {
    /// Candidates in order of preference when scores tie.
    static let candidates: [UInt8] = [UInt8(ascii: ","), 0x09, UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// The candidate that appears outside quotes the same non-zero number of times on most of the first
    /// (up to 20) complete records of `sample`; `,` when none appears.
    static func sniff(_ sample: UnsafeRawBufferPointer) -> UInt8 {
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var index = 0
        while index < sample.count, counts.count < 20 {
            let byte = sample[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                continue
            }
            if inQuotes { continue }
            if byte == 0x0A || byte == 0x0D {
                if current.contains(where: { $0 > 0 }) || !counts.isEmpty { counts.append(current) }
                current = [Int](repeating: 0, count: candidates.count)
                continue
            }
            if let position = candidates.firstIndex(of: byte) { current[position] += 1 }
        }
        if counts.isEmpty { counts.append(current) }
        var best = candidates[0]
        var bestScore = (0, 0)
        for (position, candidate) in candidates.enumerated() {
            let first = counts[0][position]
            guard first > 0 else { continue }
            let consistent = counts.filter { $0[position] == first }.count
            let score = (consistent, first)
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best
    }
}
