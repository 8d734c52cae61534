import Foundation

/// The outcome of one `yujing` run.
struct CLIRun: Sendable {
    /// The arguments it was run with.
    var arguments: [String]
    /// The exit status (or signal number when ``terminatedBySignal``).
    var status: Int32
    /// Whether the process died from a signal (a crash).
    var terminatedBySignal: Bool
    /// Everything written to standard output.
    var stdout: Data
    /// Everything written to standard error.
    var stderr: Data

    /// Standard output as text.
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text.
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// The non-empty lines of standard error.
    var stderrLines: [String] { stderrText.split(separator: "\n").map(String.init) }

    /// Standard output parsed as the JSON Lines of `yujing scan --format json`: every finding, then exactly
    /// one summary as the last line.
    func jsonReport() throws -> ScanReport {
        try ScanReport(jsonLines: stdout)
    }
}
