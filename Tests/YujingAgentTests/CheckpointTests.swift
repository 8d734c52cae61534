import Foundation
import Testing

@testable import YujingAgent

@Suite struct CheckpointTests {
    func position(_ key: String, _ offset: UInt64) -> FilePosition {
        FilePosition(
            key: key, identity: FileIdentity(device: 1, inode: 2), fingerprint: FileFingerprint(length: 3, hash: "ab"),
            path: "/x", offset: offset)
    }

    @Test func savesAtomicallyAndLoadsBack() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        #expect(try Checkpoint.load(from: directory.path) == nil)
        var checkpoint = Checkpoint()
        checkpoint.advance(position("k", 100), nowMillis: 1)
        try checkpoint.save(to: directory.path)
        // A torn temporary file from a crash mid-write does not affect the saved checkpoint.
        try directory.write("checkpoint.json.tmp", "{\"files\": {\"k\": ")
        #expect(try Checkpoint.load(from: directory.path) == checkpoint)
        checkpoint.advance(position("k", 200), nowMillis: 2)
        try checkpoint.save(to: directory.path)
        #expect(try Checkpoint.load(from: directory.path)?.files["k"]?.offset == 200)
        #expect(!FileManager.default.fileExists(atPath: directory.file("checkpoint.json.tmp")))
    }

    @Test func offsetsOnlyMoveForward() {
        var checkpoint = Checkpoint()
        checkpoint.advance(position("k", 200), nowMillis: 1)
        checkpoint.advance(position("k", 100), nowMillis: 2)
        #expect(checkpoint.files["k"]?.offset == 200)
    }

    @Test func aCorruptCheckpointIsAnErrorNotAFreshStart() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try directory.write("checkpoint.json", "not json")
        #expect(throws: AgentError.self) { try Checkpoint.load(from: directory.path) }
    }

    @Test func pruningKeepsTheNewestKeys() {
        var checkpoint = Checkpoint()
        for index in 0..<10 { checkpoint.advance(position("k\(index)", 1), nowMillis: Int64(index)) }
        checkpoint.prune(keeping: 3)
        #expect(Set(checkpoint.files.keys) == ["k7", "k8", "k9"])
    }
}
