import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Puts rendered include texts in place atomically: each text is written to `<include>.yujing-new` and fsync'd,
/// the current include is kept as `<include>.yujing-old` (a hard link, or a copy), the new files are renamed over
/// the includes, and `test_command` runs. When the test (or then the reload) fails, the old files are renamed back
/// and nginx is not reloaded; otherwise `reload_command` runs and the old copies are removed. An include is only
/// ever replaced by `rename(2)`, so nginx never reads a half-written file. Equal texts do nothing.
struct NginxIncludeApplier: Sendable {
    let settings: NginxEnforcement
    let runner: CommandRunner

    static let newSuffix = ".yujing-new"
    static let oldSuffix = ".yujing-old"

    init(settings: NginxEnforcement) {
        self.settings = settings
        self.runner = CommandRunner(timeoutMillis: settings.commandTimeoutMillis)
    }

    var paths: [String] { [settings.httpInclude, settings.serverInclude] }

    /// Puts an interrupted apply back (old copies left behind by a crash between the swap and the test).
    func recover() {
        for path in paths where FileManager.default.fileExists(atPath: path + Self.oldSuffix) {
            _ = rename(path + Self.oldSuffix, path)
        }
        for path in paths { unlink(path + Self.newSuffix) }
    }

    /// The texts in place now (nil for a missing file).
    func current() -> [String?] {
        paths.map { path in FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Applies the texts.
    /// - Returns: `applied`, `unchanged` or `failed` with the first lines of the command output.
    func apply(http: String, server: String) async -> EnforcementReport.NginxOutcome {
        recover()
        let texts = [http, server]
        if current() == texts.map(Optional.some) { return .init(status: .unchanged) }
        var swapped: [String] = []
        do throws(AgentError) {
            for (path, text) in zip(paths, texts) {
                try Self.makeParent(of: path)
                try Self.writeDurably(Array(text.utf8), to: path + Self.newSuffix)
            }
            for path in paths { try Self.keepOld(path) }
            for path in paths {
                guard rename(path + Self.newSuffix, path) == 0 else {
                    throw .io(path: path, reason: FileIO.errorText())
                }
                swapped.append(path)
            }
        } catch {
            rollBack(swapped)
            for path in paths { unlink(path + Self.newSuffix) }
            return .init(status: .failed, error: "cannot write the includes: \(error)")
        }
        let test = await runner.run(settings.testCommand)
        guard test.succeeded else {
            rollBack(swapped)
            let output = CommandRunner.firstLines(test.output)
            return .init(status: .failed, error: output.isEmpty ? "test_command exited with \(test.status)" : output)
        }
        let reload = await runner.run(settings.reloadCommand)
        guard reload.succeeded else {
            rollBack(swapped)
            let output = CommandRunner.firstLines(reload.output)
            return .init(
                status: .failed,
                error: "reload_command exited with \(reload.status)" + (output.isEmpty ? "" : ": \(output)"))
        }
        for path in paths { unlink(path + Self.oldSuffix) }
        return .init(status: .applied)
    }

    /// Puts the old files back (or removes includes that did not exist before).
    func rollBack(_ swapped: [String]) {
        for path in paths {
            if FileManager.default.fileExists(atPath: path + Self.oldSuffix) {
                _ = rename(path + Self.oldSuffix, path)
            } else if swapped.contains(path) {
                unlink(path)
            }
        }
    }

    /// Keeps the current include as `<path>.yujing-old` (hard link; copy when linking is not possible).
    static func keepOld(_ path: String) throws(AgentError) {
        let old = path + oldSuffix
        unlink(old)
        guard FileManager.default.fileExists(atPath: path) else { return }
        if link(path, old) == 0 { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot read the current include")
        }
        try writeDurably(Array(data), to: old)
    }

    static func makeParent(of path: String) throws(AgentError) {
        let parent = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: parent) { try FileIO.makeDirectory(parent) }
    }

    /// Writes a whole file and fsyncs it (mode 0644: nginx reads it).
    static func writeDurably(_ bytes: [UInt8], to path: String) throws(AgentError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: FileIO.errorText()) }
        defer { close(descriptor) }
        guard FileIO.writeAll(descriptor, bytes), fsync(descriptor) == 0 else {
            let reason = FileIO.errorText()
            unlink(path)
            throw .io(path: path, reason: reason)
        }
    }
}
