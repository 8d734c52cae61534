import Foundation

/// A one-line progress bar on standard error, drawn only on a terminal and at most ten times a second.
final class ProgressBar {
    private let total: Int64
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(totalBytes: Int64, enabled: Bool) {
        self.total = max(totalBytes, 1)
        self.enabled = enabled && isatty(2) == 1
    }

    func update(bytes: Int64, file: String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(1, Double(bytes) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(bytes) / elapsed / 1_000_000
        let name = file.count > 40 ? "…" + file.suffix(39) : file
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] " + String(format: "%3.0f%% %.0f/%.0f MB %.0f MB/s ", fraction * 100, Double(bytes) / 1e6,
                Double(total) / 1e6, rate) + name + "\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        drawn = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
