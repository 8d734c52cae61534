import Foundation
import Testing

@testable import YujingAgent

@Suite struct QuarantineTests {
    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func withdrawMovesTheDatasetsFilesAndRestorePutsThemBack() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try directory.write("www/datasets/ds-1/a.csv", "a")
        try directory.write("www/datasets/ds-1/b.json", "b")
        try directory.write("www/datasets/ds-10/c.csv", "c")
        try directory.write("www/datasets/ds-2/d.csv", "d")
        try directory.write("archive/ds-1/2026/e.csv", "e")
        try directory.write("www/datasets/ds-1/sub/not-matched.csv", "n")
        let sources = [
            DatasetSource(pattern: directory.file("www/datasets/{dataset}/*")),
            DatasetSource(pattern: directory.file("archive/{dataset}/*/*")),
        ]
        let quarantineDirectory = directory.file("quarantine")
        let quarantine = Quarantine(directory: quarantineDirectory, sources: sources)
        #expect(sources[0].root == directory.file("www/datasets"))
        #expect(sources[1].root == directory.file("archive"))

        let withdrawn = quarantine.withdraw(dataset: "ds-1")
        #expect(withdrawn == Quarantine.Outcome(moved: 3, failures: []))
        #expect(read(directory.file("quarantine/ds-1/ds-1/a.csv")) == "a")
        #expect(read(directory.file("quarantine/ds-1/ds-1/b.json")) == "b")
        #expect(read(directory.file("quarantine/ds-1/ds-1/2026/e.csv")) == "e")
        #expect(!FileManager.default.fileExists(atPath: directory.file("www/datasets/ds-1/a.csv")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("archive/ds-1")))  // emptied folders go too
        // Other datasets, and files the patterns do not attribute to ds-1, stay.
        #expect(read(directory.file("www/datasets/ds-10/c.csv")) == "c")
        #expect(read(directory.file("www/datasets/ds-2/d.csv")) == "d")
        #expect(read(directory.file("www/datasets/ds-1/sub/not-matched.csv")) == "n")
        let mode = try #require(
            FileManager.default.attributesOfItem(atPath: quarantineDirectory)[.posixPermissions] as? Int)
        #expect(mode == 0o700)

        // Idempotent: nothing left to move.
        #expect(quarantine.withdraw(dataset: "ds-1") == Quarantine.Outcome(moved: 0, failures: []))
        #expect(quarantine.quarantinedFiles(of: "ds-1") == ["ds-1/2026/e.csv", "ds-1/a.csv", "ds-1/b.json"])

        let restored = quarantine.restore(dataset: "ds-1")
        #expect(restored == Quarantine.Outcome(moved: 3, failures: []))
        #expect(read(directory.file("www/datasets/ds-1/a.csv")) == "a")
        #expect(read(directory.file("www/datasets/ds-1/b.json")) == "b")
        #expect(read(directory.file("archive/ds-1/2026/e.csv")) == "e")
        #expect(!FileManager.default.fileExists(atPath: directory.file("quarantine/ds-1")))
        #expect(quarantine.restore(dataset: "ds-1") == Quarantine.Outcome(moved: 0, failures: []))
    }

    @Test func nothingIsOverwrittenAndUnsafeIDsAreRefused() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let quarantine = Quarantine(
            directory: directory.file("quarantine"),
            sources: [DatasetSource(pattern: directory.file("www/{dataset}/*"))])
        try directory.write("www/ds-1/a.csv", "new")
        try directory.write("quarantine/ds-1/ds-1/a.csv", "old")
        let withdrawn = quarantine.withdraw(dataset: "ds-1")
        #expect(withdrawn.moved == 0)
        #expect(withdrawn.failures == ["ds-1/a.csv: already in quarantine"])
        #expect(read(directory.file("www/ds-1/a.csv")) == "new")
        let restored = quarantine.restore(dataset: "ds-1")
        #expect(restored.failures == ["ds-1/a.csv: a file exists at the original path; kept in quarantine"])
        #expect(read(directory.file("quarantine/ds-1/ds-1/a.csv")) == "old")
        #expect(read(directory.file("www/ds-1/a.csv")) == "new")
        for id in ["..", ".", "a/b", "", "x\ny"] {
            #expect(quarantine.withdraw(dataset: id).failures == ["dataset id is not a single path component"])
            #expect(quarantine.restore(dataset: id).failures == ["dataset id is not a single path component"])
        }
        // A quarantined file no source attributes to the dataset stays in quarantine.
        try directory.write("quarantine/ds-2/elsewhere/x.csv", "x")
        #expect(
            quarantine.restore(dataset: "ds-2").failures == [
                "elsewhere/x.csv: no dataset source matches it; kept in quarantine"
            ])
    }

    @Test func theApplierRecordsMovesPerWithdrawalAndReappliesNothing() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try directory.write("www/ds-1/a.csv", "a")
        try directory.write("www/ds-1/b.csv", "b")
        try directory.write("www/ds-0/z.csv", "z")
        var configuration = AgentConfiguration(
            name: "web-01", centerURL: "http://127.0.0.1:1", token: "t", keyFile: directory.file("k"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.datasets = [DatasetSource(pattern: directory.file("www/{dataset}/*"))]
        configuration.enforcement = EnforcementConfiguration(quarantineDirectory: directory.file("quarantine"))
        let metrics = AgentMetrics()
        let applier = try EnforcementApplier(configuration: configuration, metrics: metrics, logger: .init(label: "t"))
        let withdrawal = EnforcementDocument.Withdrawal(id: 3, dataset: "ds-1", urlPatterns: ["/ds-1/**"])
        let now = Date(timeIntervalSince1970: 1_796_101_200)
        let first = await applier.apply(EnforcementDocument(version: "v1", withdrawals: [withdrawal]), now: now)
        #expect(first.agent == "web-01" && first.version == "v1" && first.appliedAt == now)
        #expect(first.nginx == .init(status: .disabled))
        #expect(first.withdrawals == [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)])
        #expect(metrics.value(.filesQuarantined) == 2)
        // A new version with the same withdrawal moves nothing and still reports the two files.
        try directory.write("www/ds-1/c.csv", "published while withdrawn")
        let second = await applier.apply(EnforcementDocument(version: "v2", withdrawals: [withdrawal]), now: now)
        #expect(second.withdrawals == [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)])
        #expect(read(directory.file("www/ds-1/c.csv")) != nil)
        // So does a new applier (a restart) reading enforcement.json.
        let restarted = try EnforcementApplier(
            configuration: configuration, metrics: metrics, logger: .init(label: "t"))
        let third = await restarted.apply(EnforcementDocument(version: "v2", withdrawals: [withdrawal]), now: now)
        #expect(third.withdrawals == second.withdrawals)
        #expect(metrics.value(.filesQuarantined) == 2)
        // By default a restore leaves the leaking version in quarantine (evidence; the owner republishes a clean one).
        let keeping = try EnforcementApplier(
            configuration: configuration, metrics: AgentMetrics(), logger: .init(label: "t"))
        let kept = await keeping.apply(EnforcementDocument(version: "v3", restored: [withdrawal]), now: now)
        #expect(kept.restored == [.init(id: 3, dataset: "ds-1", filesMoved: 0, status: .done)])
        #expect(read(directory.file("www/ds-1/a.csv")) == nil)
        #expect(read(directory.file("quarantine/ds-1/ds-1/a.csv")) == "a")
        // With restore_files, restoring brings back the two quarantined files; the newer c.csv was never touched.
        try FileManager.default.removeItem(atPath: directory.file("www/ds-1/c.csv"))
        try FileManager.default.removeItem(atPath: directory.file("state/enforcement.json"))
        configuration.enforcement?.restoreFiles = true
        let restoring = try EnforcementApplier(
            configuration: configuration, metrics: metrics, logger: .init(label: "t"))
        let restored = await restoring.apply(EnforcementDocument(version: "v3", restored: [withdrawal]), now: now)
        #expect(restored.withdrawals.isEmpty)
        #expect(restored.restored == [.init(id: 3, dataset: "ds-1", filesMoved: 2, status: .done)])
        #expect(read(directory.file("www/ds-1/a.csv")) == "a")
        #expect(read(directory.file("www/ds-1/b.csv")) == "b")
        #expect(read(directory.file("www/ds-0/z.csv")) == "z")
        #expect(!restored.hasFailures)
    }

    @Test func acrossFilesystemsFilesAreCopiedSyncedAndUnlinked() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        // /dev/shm is a tmpfs on Linux: a different filesystem from the test directory, so rename fails with EXDEV.
        let other = "/dev/shm/yujing-quarantine-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: other) }
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let here = try #require(FileIO.status(path: directory.path))
        let there = try #require(FileIO.status(path: other))
        try #require(here.st_dev != there.st_dev, "/dev/shm must be another filesystem than \(directory.path)")
        let content = String(repeating: "0123456789abcdef", count: 200_000)  // 3.2 MB: several read chunks
        let path = try directory.write("www/ds-1/big.csv", content)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let quarantine = Quarantine(
            directory: other + "/q", sources: [DatasetSource(pattern: directory.file("www/{dataset}/*"))])
        #expect(quarantine.withdraw(dataset: "ds-1") == Quarantine.Outcome(moved: 1, failures: []))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(read(other + "/q/ds-1/ds-1/big.csv") == content)
        let mode = try #require(
            FileManager.default.attributesOfItem(atPath: other + "/q/ds-1/ds-1/big.csv")[.posixPermissions] as? Int)
        #expect(mode == 0o640)
        #expect(!FileManager.default.fileExists(atPath: other + "/q/ds-1/ds-1/big.csv.yujing-partial"))
        #expect(quarantine.restore(dataset: "ds-1") == Quarantine.Outcome(moved: 1, failures: []))
        #expect(read(path) == content)
    }
}
