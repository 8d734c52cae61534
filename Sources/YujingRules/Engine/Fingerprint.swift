/// Stable 64-bit FNV-1a hashes (Swift's `Hasher` is seeded per process, so it cannot be used for fingerprints).
enum Fingerprint {
    static func fnv1a(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 {
                hash ^= 0x1F
                hash = hash &* 0x0000_0100_0000_01B3
            }
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    static func hex(_ parts: [String]) -> String {
        let text = String(fnv1a(parts), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
