import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Moves a withdrawn dataset's files out of the public folders into `<quarantine>/<dataset>/<relative path>`
/// and back. A dataset's files are the regular files its `datasets:` sources attribute to it
/// (``DatasetSource/datasetID(for:)``); the relative path is taken from the source's literal root. Moves are
/// renames (copy, fsync and unlink across filesystems); emptied folders are removed. Nothing is overwritten:
/// a file already in quarantine, or a file back at the original path, stays where it is and is reported.
struct Quarantine: Sendable {
    let directory: String
    let sources: [DatasetSource]

    /// Files moved and what could not be moved (relative paths and reasons, never content).
    struct Outcome: Sendable, Equatable {
        var moved: Int = 0
        var failures: [String] = []
    }

    /// True for a dataset id that is one safe path component.
    static func isSafeDatasetID(_ dataset: String) -> Bool {
        !dataset.isEmpty && dataset != "." && dataset != ".." && dataset.utf8.count <= 255 && !dataset.contains("/")
            && !dataset.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
    }

    func folder(of dataset: String) -> String { directory + "/" + dataset }

    /// The dataset's files in the public folders: (source, absolute path, path relative to the source root).
    func publicFiles(of dataset: String) -> [(source: DatasetSource, path: String, relative: String)] {
        var out: [(DatasetSource, String, String)] = []
        var seen: Set<String> = []
        for source in sources {
            let absolute = source.absoluteSource
            for path in FileIO.glob(source.absoluteGlob) where absolute.datasetID(for: path) == dataset {
                guard let info = FileIO.status(path: path), FileIO.isRegular(info),
                    let relative = source.relativePath(of: path), seen.insert(path).inserted
                else { continue }
                out.append((source, path, relative))
            }
        }
        return out
    }

    /// The dataset's files in quarantine, relative to `<quarantine>/<dataset>`, sorted.
    func quarantinedFiles(of dataset: String) -> [String] {
        let base = folder(of: dataset)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if let info = FileIO.status(path: base + "/" + relative), FileIO.isRegular(info) { out.append(relative) }
        }
        return out.sorted()
    }

    /// Moves the dataset's public files into quarantine.
    func withdraw(dataset: String) -> Outcome {
        var outcome = Outcome()
        guard Self.isSafeDatasetID(dataset) else {
            outcome.failures.append("dataset id is not a single path component")
            return outcome
        }
        let files = publicFiles(of: dataset)
        guard !files.isEmpty else { return outcome }
        do throws(AgentError) {
            try Self.makeDirectory(directory, mode: 0o700)
        } catch {
            outcome.failures.append("\(error)")
            return outcome
        }
        for file in files {
            let target = folder(of: dataset) + "/" + file.relative
            if FileManager.default.fileExists(atPath: target) {
                outcome.failures.append("\(file.relative): already in quarantine")
                continue
            }
            do throws(AgentError) {
                try Self.makeDirectory((target as NSString).deletingLastPathComponent, mode: 0o700)
                try Self.move(file.path, to: target)
                outcome.moved += 1
                Self.removeEmptyParents(of: file.path, upTo: file.source.root)
            } catch {
                outcome.failures.append("\(file.relative): \(Self.reason(error))")
            }
        }
        FileIO.syncDirectory(of: folder(of: dataset) + "/.")
        return outcome
    }

    /// Moves the dataset's quarantined files back to their public folders.
    func restore(dataset: String) -> Outcome {
        var outcome = Outcome()
        guard Self.isSafeDatasetID(dataset) else {
            outcome.failures.append("dataset id is not a single path component")
            return outcome
        }
        let base = folder(of: dataset)
        for relative in quarantinedFiles(of: dataset) {
            guard let source = sources.first(where: { $0.attributes(relative: relative, to: dataset) }) else {
                outcome.failures.append("\(relative): no dataset source matches it; kept in quarantine")
                continue
            }
            let target = (source.root == "/" ? "" : source.root) + "/" + relative
            if FileManager.default.fileExists(atPath: target) {
                outcome.failures.append("\(relative): a file exists at the original path; kept in quarantine")
                continue
            }
            do throws(AgentError) {
                try Self.makeDirectory((target as NSString).deletingLastPathComponent, mode: 0o755)
                try Self.move(base + "/" + relative, to: target)
                outcome.moved += 1
                Self.removeEmptyParents(of: base + "/" + relative, upTo: directory)
            } catch {
                outcome.failures.append("\(relative): \(Self.reason(error))")
            }
        }
        return outcome
    }

    static func reason(_ error: AgentError) -> String {
        if case .io(_, let reason) = error { return reason }
        return "\(error)"
    }

    static func makeDirectory(_ path: String, mode: Int) throws(AgentError) {
        if FileManager.default.fileExists(atPath: path) { return }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw .io(path: path, reason: "cannot create directory")
        }
    }

    /// Renames `source` to `target`; across filesystems copies, fsyncs and unlinks.
    static func move(_ source: String, to target: String) throws(AgentError) {
        if rename(source, target) == 0 { return }
        guard errno == EXDEV else { throw .io(path: source, reason: FileIO.errorText()) }
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .io(path: source, reason: FileIO.errorText()) }
        defer { close(input) }
        let info = FileIO.status(descriptor: input)
        let temporary = target + ".yujing-partial"
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(info?.st_mode ?? 0o644) & 0o777)
        guard output >= 0 else { throw .io(path: temporary, reason: FileIO.errorText()) }
        var offset: UInt64 = 0
        while true {
            let chunk: [UInt8]
            do {
                chunk = try FileIO.read(input, at: offset, count: 1 << 20)
            } catch {
                close(output)
                unlink(temporary)
                throw error
            }
            if chunk.isEmpty { break }
            guard FileIO.writeAll(output, chunk) else {
                let reason = FileIO.errorText()
                close(output)
                unlink(temporary)
                throw .io(path: temporary, reason: reason)
            }
            offset += UInt64(chunk.count)
        }
        guard fsync(output) == 0 else {
            let reason = FileIO.errorText()
            close(output)
            unlink(temporary)
            throw .io(path: temporary, reason: reason)
        }
        close(output)
        guard rename(temporary, target) == 0 else {
            let reason = FileIO.errorText()
            unlink(temporary)
            throw .io(path: target, reason: reason)
        }
        FileIO.syncDirectory(of: target)
        guard unlink(source) == 0 else { throw .io(path: source, reason: FileIO.errorText()) }
    }

    /// Removes the now-empty folders between a moved file and `stop` (exclusive).
    static func removeEmptyParents(of path: String, upTo stop: String) {
        var parent = (path as NSString).deletingLastPathComponent
        while parent.hasPrefix(stop + "/"), parent != stop, rmdir(parent) == 0 {
            parent = (parent as NSString).deletingLastPathComponent
        }
    }
}
