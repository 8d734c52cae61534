import Crypto
import Foundation

/// Token generation, hashing and constant-time comparison.
///
/// A token reads `yj_<id>_<secret>`: the 12-hex-digit id finds the row, then the SHA-256 of the whole token is
/// compared with the stored hash in constant time.
public enum TokenSecret {
    /// A new random token.
    /// - Returns: The token id and the clear token.
    public static func generate() -> (tokenID: String, token: String) {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let tokenID = hex(idBytes)
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (tokenID, "yj_\(tokenID)_\(secret)")
    }

    /// The token id inside a token, or `nil` when it is not shaped like one.
    /// - Parameter token: A clear token.
    /// - Returns: The id.
    public static func tokenID(of token: String) -> String? {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "yj", parts[1].count == 12, !parts[2].isEmpty else { return nil }
        return String(parts[1])
    }

    /// Hex SHA-256 of a token.
    /// - Parameter token: The clear token.
    /// - Returns: 64 hex digits.
    public static func hash(_ token: String) -> String {
        hex(Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// Compares two strings in time independent of where they differ.
    /// - Parameters:
    ///   - a: One string.
    ///   - b: The other.
    /// - Returns: Whether they are equal.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<x.count { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
