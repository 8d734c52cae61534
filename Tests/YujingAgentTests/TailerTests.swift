import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import YujingAgent

@Suite struct TailerTests {
    @Test func renameRotationFinishesTheOldFileThenTheNewOne() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("a.log")
        try append(log, TailerHarness.lines("a", 0..<100))
        let harness = TailerHarness(directory: directory, globs: [log])
        try harness.drain()
        try append(log, TailerHarness.lines("a", 100..<150))
        // Rotated by rename to a name the glob does not match: only the open descriptor can finish it.
        #expect(rename(log, directory.file("a.log.1")) == 0)
        try append(log, TailerHarness.lines("a", 150..<180))
        try harness.drain()
        #expect(harness.paths == TailerHarness.expected("a", 0..<180))
        #expect(harness.metrics.value(.linesRead) == 180)
    }

    /// A read that fails (here EISDIR: the tailed descriptor is made to point at a directory with dup2, as a
    /// disk error would make pread fail) consumes nothing, is counted, and is not mistaken for a truncation
    /// (the fingerprint cannot be read either); once reads work again every line arrives exactly once.
    /// The file stays shorter than the directory's 4 KiB so that its size alone does not look truncated.
    @Test func aFailingReadLosesNothingAndIsCounted() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("e.log")
        try append(log, TailerHarness.lines("e", 0..<20))
        let harness = TailerHarness(directory: directory, globs: [log])
        try harness.drain()
        #expect(harness.paths == TailerHarness.expected("e", 0..<20))
        let file = try #require(harness.tailer.files.values.first)
        let saved = dup(file.descriptor)
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        #expect(saved >= 0 && folder >= 0)
        #expect(dup2(folder, file.descriptor) == file.descriptor)
        try append(log, TailerHarness.lines("e", 20..<30))
        #expect(try harness.drain(rounds: 3).isEmpty)
        #expect(harness.metrics.value(.readErrors) >= 3)
        #expect(file.readError != nil)
        #expect(dup2(saved, file.descriptor) == file.descriptor)
        close(saved)
        close(folder)
        try harness.drain()
        #expect(file.readError == nil)
        #expect(harness.paths == TailerHarness.expected("e", 0..<30))
        #expect(harness.metrics.value(.rotations) == 0)
    }

    @Test func copytruncateContinuesInTheCopyWithoutLossOrDuplicates() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("b.log")
        try append(log, TailerHarness.lines("b", 0..<100))
        let harness = TailerHarness(directory: directory, globs: [log + "*"])
        try harness.drain()
        try append(log, TailerHarness.lines("b", 100..<150))  // not read before the rotation
        try FileManager.default.copyItem(atPath: log, toPath: directory.file("b.log.1"))
        #expect(truncate(log, 0) == 0)
        try append(log, TailerHarness.lines("b", 150..<170))
        try harness.drain()
        #expect(harness.paths.sorted() == TailerHarness.expected("b", 0..<170).sorted())
        #expect(harness.metrics.value(.rotations) == 1)
    }

    @Test func copytruncateNoticedBeforeTheCopyAppears() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("c.log")
        try append(log, TailerHarness.lines("c", 0..<100))
        let harness = TailerHarness(directory: directory, globs: [log + "*"])
        try harness.drain()
        try append(log, TailerHarness.lines("c", 100..<140))
        let hidden = directory.file("hidden-copy")
        try FileManager.default.copyItem(atPath: log, toPath: hidden)
        #expect(truncate(log, 0) == 0)
        try append(log, TailerHarness.lines("c", 140..<150))
        try harness.drain()  // sees the truncation; the copy is not visible yet
        #expect(rename(hidden, directory.file("c.log.1")) == 0)
        try harness.drain()
        #expect(harness.paths.sorted() == TailerHarness.expected("c", 0..<150).sorted())
    }

    @Test func truncationRestartsAtZero() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("d.log")
        try append(log, TailerHarness.lines("d", 0..<100))
        let harness = TailerHarness(directory: directory, globs: [log])
        try harness.drain()
        #expect(truncate(log, 0) == 0)
        try append(log, TailerHarness.lines("e", 0..<10))
        try harness.drain()
        #expect(harness.paths == TailerHarness.expected("d", 0..<100) + TailerHarness.expected("e", 0..<10))
    }

    @Test func aFinalLineWithoutNewlineWaitsForIt() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("p.log")
        let second = TailerHarness.line("p", 2)
        try append(log, TailerHarness.line("p", 1) + second.prefix(30))
        let harness = TailerHarness(directory: directory, globs: [log])
        #expect(try harness.drain() == ["/t/p/1"])
        try append(log, String(second.dropFirst(30)))
        #expect(try harness.drain() == ["/t/p/2"])
    }

    @Test func overLongLinesAreCutCountedAndSkippedToTheirNewline() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("l.log")
        let long = TailerHarness.line("l", 1).dropLast() + String(repeating: "x", count: 5_000) + "\n"
        try append(log, String(long) + TailerHarness.line("l", 2))
        let harness = TailerHarness(directory: directory, globs: [log], maxLineBytes: 300)
        try harness.drain()
        #expect(harness.metrics.value(.linesTruncated) == 1)
        #expect(harness.paths.last == "/t/l/2")
        // A long line still being written: cut once, the rest skipped when its newline arrives.
        try append(log, String(repeating: "y", count: 3_000))
        try harness.drain()
        try append(log, String(repeating: "y", count: 3_000) + "\n" + TailerHarness.line("l", 3))
        try harness.drain()
        #expect(harness.metrics.value(.linesTruncated) == 2)
        #expect(harness.paths.last == "/t/l/3")
        let size = try #require(FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        #expect(harness.lastPositions.values.map(\.offset).max() == UInt64(size))
    }

    @Test func aRestartResumesAtTheCheckpointWithTheSameBatchIDs() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("r.log")
        try append(log, TailerHarness.lines("r", 0..<50))
        let first = TailerHarness(directory: directory, globs: [log])
        try first.drain()
        let checkpoint = try #require(first.lastPositions.values.first)
        try append(log, TailerHarness.lines("r", 50..<80))
        try first.drain()
        let second = TailerHarness(directory: directory, globs: [log], firstRun: false, resume: [checkpoint])
        try second.drain()
        #expect(second.paths == TailerHarness.expected("r", 50..<80))
        #expect(second.batchIDs == [first.batchIDs[1]])
        #expect(second.batchIDs[0].hasPrefix(checkpoint.key + "@\(checkpoint.offset)-"))
    }

    @Test func aCopyStillBeingWrittenAfterARestartContinuesAtTheCheckpoint() throws {
        // copytruncate while the agent was down: at restart the log is truncated and its copy is only half written.
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("p.log")
        try append(log, TailerHarness.lines("p", 0..<100))
        let first = TailerHarness(directory: directory, globs: [log + "*"])
        try first.drain()
        let checkpoint = try #require(first.lastPositions.values.first)
        try append(log, TailerHarness.lines("p", 100..<120))  // written, not read before the rotation
        let whole = try Data(contentsOf: URL(fileURLWithPath: log))
        let copy = directory.file("p.log.1")
        try whole.prefix(Int(checkpoint.offset) / 2).write(to: URL(fileURLWithPath: copy))
        #expect(truncate(log, 0) == 0)
        try append(log, TailerHarness.lines("q", 0..<10))
        let second = TailerHarness(directory: directory, globs: [log + "*"], firstRun: false, resume: [checkpoint])
        try second.drain()
        #expect(second.paths == TailerHarness.expected("q", 0..<10), "the half-written copy must wait")
        try whole.write(to: URL(fileURLWithPath: copy))  // the copy is complete
        try second.drain()
        #expect(
            second.paths.sorted()
                == (TailerHarness.expected("q", 0..<10) + TailerHarness.expected("p", 100..<120)).sorted())
    }

    @Test func aReusedInodeWithOtherContentIsReadFromItsStart() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("i.log")
        try append(log, TailerHarness.lines("i", 0..<50))
        let first = TailerHarness(directory: directory, globs: [log])
        try first.drain()
        let checkpoint = try #require(first.lastPositions.values.first)
        // Same device and inode, different first bytes (rewritten in place).
        #expect(truncate(log, 0) == 0)
        try append(log, TailerHarness.lines("j", 0..<60))
        let second = TailerHarness(directory: directory, globs: [log], firstRun: false, resume: [checkpoint])
        try second.drain()
        #expect(second.paths == TailerHarness.expected("j", 0..<60))
    }

    @Test func startAtEndSkipsExistingLinesOnTheFirstRunOnly() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("s.log")
        try append(log, TailerHarness.lines("s", 0..<10))
        let harness = TailerHarness(directory: directory, globs: [directory.file("*.log")], startAt: .end)
        try harness.drain()
        #expect(harness.paths.isEmpty)
        try append(log, TailerHarness.lines("s", 10..<12))
        try append(directory.file("t.log"), TailerHarness.lines("t", 0..<300))  // appears later: from its start
        Thread.sleep(forTimeInterval: 1.1)
        try harness.drain()
        #expect(harness.paths.sorted() == (TailerHarness.expected("s", 10..<12) + TailerHarness.expected("t", 0..<300)).sorted())
    }

    @Test func batchesAreCutAtMaxEvents() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let log = directory.file("m.log")
        try append(log, TailerHarness.lines("m", 0..<25))
        let harness = TailerHarness(directory: directory, globs: [log], maxEvents: 10)
        try harness.drain()
        #expect(harness.batchIDs.count == 3)
        #expect(harness.paths == TailerHarness.expected("m", 0..<25))
    }
}
