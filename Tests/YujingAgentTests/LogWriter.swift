import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Appends nginx lines to `a.log` (rotated by rename) and `b.log` (rotated by copytruncate) on its own thread
/// and remembers every line's unique path.
// @unchecked Sendable: the thread and the test share `stopRequested` and `written` only under `lock`.
final class LogWriter: @unchecked Sendable {
    let directory: String
    let linesPerSecondPerFile: Int
    let rotateEvery: Int
    private let lock = NSLock()
    private var stopRequested = false
    private var finished = false
    private var written: [String] = []
    private(set) var renames = 0
    private(set) var copytruncates = 0

    init(directory: String, linesPerSecondPerFile: Int, rotateEvery: Int) {
        self.directory = directory
        self.linesPerSecondPerFile = linesPerSecondPerFile
        self.rotateEvery = rotateEvery
    }

    func start() {
        let thread = Thread { [self] in self.loop() }
        thread.start()
    }

    /// Stops writing and returns every path written.
    func stop() -> [String] {
        lock.lock()
        stopRequested = true
        lock.unlock()
        while true {
            lock.lock()
            if finished {
                defer { lock.unlock() }
                return written
            }
            lock.unlock()
            usleep(10_000)
        }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return written.count
    }

    static func openAppend(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }

    private func loop() {
        let a = (directory as NSString).appendingPathComponent("a.log")
        let b = (directory as NSString).appendingPathComponent("b.log")
        var fdA = Self.openAppend(a)
        let fdB = Self.openAppend(b)
        var sequence = 0
        var sinceRotationA = 0
        var sinceRotationB = 0
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        let perTick = max(1, linesPerSecondPerFile / 100)
        while true {
            lock.lock()
            let stop = stopRequested
            lock.unlock()
            if stop { break }
            let time = formatter.string(from: Date())
            var textA = ""
            var textB = ""
            var paths: [String] = []
            for _ in 0..<perTick {
                sequence += 1
                let pa = "/ev/a/\(sequence)"
                let pb = "/ev/b/\(sequence)"
                textA += "10.1.\(sequence % 200).\(sequence % 250) - - [\(time)] \"GET \(pa) HTTP/1.1\" 200 \(sequence % 9000) \"-\" \"writer\"\n"
                textB += "10.2.\(sequence % 200).\(sequence % 250) - - [\(time)] \"GET \(pb) HTTP/1.1\" 200 \(sequence % 9000) \"-\" \"writer\"\n"
                paths.append(pa)
                paths.append(pb)
            }
            Self.write(fdA, textA)
            Self.write(fdB, textB)
            lock.lock()
            written += paths
            lock.unlock()
            sinceRotationA += perTick
            sinceRotationB += perTick
            if sinceRotationA >= rotateEvery {
                sinceRotationA = 0
                renames += 1
                close(fdA)
                rename(a, a + ".\(renames)")
                fdA = Self.openAppend(a)
            }
            if sinceRotationB >= rotateEvery + rotateEvery / 3 {
                sinceRotationB = 0
                copytruncates += 1
                // Like logrotate's copytruncate: copy to the rotated name, then truncate the live file.
                if let data = FileManager.default.contents(atPath: b) {
                    let copy = open(b + ".\(copytruncates)", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    Self.write(copy, String(decoding: data, as: UTF8.self))
                    close(copy)
                }
                ftruncate(fdB, 0)
            }
            usleep(10_000)
        }
        close(fdA)
        close(fdB)
        lock.lock()
        finished = true
        lock.unlock()
    }

    static func write(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { return }
            done += n
        }
    }
}
