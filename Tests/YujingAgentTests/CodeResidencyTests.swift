import Foundation
import Testing

@testable import YujingAgent

@Suite struct CodeResidencyTests {
    /// Kilobytes of file-backed resident memory of this process.
    static func residentFileKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// The test binary has touched megabytes of code by now: dropping it shrinks the resident set, and the code
    /// keeps working (it is mapped back from the page cache).
    @Test func droppingCodePagesShrinksTheResidentSetAndCodeStillRuns() throws {
        _ = try JSONSerialization.jsonObject(with: Data("{\"warm\":[1,2,3]}".utf8))
        let before = try Self.residentFileKilobytes()
        let advised = CodeResidency.keepOnlyCodeInUse()
        let after = try Self.residentFileKilobytes()
        #expect(advised > 1 << 20)
        #expect(after < before - 1_024, "RssFile \(before) kB -> \(after) kB")
        let object = try JSONSerialization.jsonObject(with: Data("{\"after\":[4,5]}".utf8)) as? [String: [Int]]
        #expect(object == ["after": [4, 5]])
    }
}
