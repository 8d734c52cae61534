import ArgumentParser
import Foundation
import YujingCore
import YujingDetectors
import YujingFormats

/// `yujing scan`: find leaked identifiers in dataset files.
///
/// Exit status: 0 nothing found, 1 something found, 2 some input could not be read (the rest is still
/// scanned, with one error line per bad input on standard error).
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan dataset files and folders for leaked personal identifiers.",
        discussion: """
            Formats: CSV/TSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16), JSON, JSON Lines, XML, XLSX, plain text.
            Values are only ever printed masked, with a keyed hash (HMAC-SHA256) for correlation.
            Exit status: 0 nothing found, 1 identifiers found, 2 some input could not be read.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "Files or folders to scan (folders recursively).")
    var paths: [String]

    @Option(help: "Output format: table (readable) or json (JSON Lines: findings, then a summary).")
    var format: OutputFormat = .table

    @Option(help: "Report findings at or above this confidence (0...1).")
    var minConfidence: Double = 0.5

    @Option(help: "Key file for keyed hashes (created when missing). Default: $YUJING_KEY_FILE or var/yujing.key.")
    var keyFile: String?

    @Option(help: "Scan date YYYY-MM-DD for birth-date checks (default: today).")
    var today: String?

    @Option(help: "Oldest plausible birth year.")
    var minBirthYear: Int = 1900

    @Flag(help: "Never draw the progress bar.")
    var noProgress = false

    func validate() throws {
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be in 0...1") }
        if let today, Self.parseDay(today) == nil { throw ValidationError("--today must be YYYY-MM-DD") }
    }

    func run() throws {
        let key: [UInt8]
        do {
            key = try InstallationKey.loadOrCreate(at: keyFile ?? InstallationKey.defaultPath)
        } catch {
            throw ValidationError("\(error)")
        }
        let day = today.flatMap(Self.parseDay) ?? Self.currentDay()
        let detector = IdentifierDetector(
            configuration: DetectorConfiguration(
                today: day, minimumBirthYear: minBirthYear, minimumConfidence: minConfidence),
            key: key)
        let scanner = DatasetScanner(detector: detector)
        let output = OutputWriter.standardOutput()
        var errors: [(String, String)] = []
        let files = FileCollector.collect(paths) { path, message in errors.append((path, message)) }
        // Every path and message shown goes through the detector: file names can hold identifiers too.
        let redact = { (text: String) in detector.redact(text).text }
        errors = errors.map { (redact($0.0), $0.1) }
        for (path, message) in errors { Self.reportError(path: path, message: message) }

        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let progress = ProgressBar(totalBytes: totalBytes, enabled: !noProgress && totalBytes > 8 << 20)
        let report = FindingReport(format: format, output: output)
        let outputIsTerminal = output.isTerminal
        report.begin()
        var results: [FileScanResult] = []
        var doneBytes: Int64 = 0
        for file in files {
            let displayPath = redact(file.path)
            let result = scanner.scan(
                path: file.path,
                onFinding: { finding in
                    if outputIsTerminal { progress.finish() }
                    report.write(finding)
                },
                onProgress: { bytes in progress.update(bytes: doneBytes + bytes, file: displayPath) })
            doneBytes += file.size
            if let error = result.error {
                progress.finish()
                output.flush()
                let message = redact(error.description)
                Self.reportError(path: result.path, message: message)
                errors.append((result.path, message))
            }
            for warning in result.warnings {
                let text = redact("yujing: scan: \(result.path): warning: \(warning)\n")
                FileHandle.standardError.write(Data(text.utf8))
            }
            results.append(result)
        }
        progress.finish()
        report.summary(results: results, unreadable: errors)
        output.flush()
        if !errors.isEmpty { throw ExitCode(2) }
        if results.contains(where: { $0.findingCount > 0 }) { throw ExitCode(1) }
    }

    static func reportError(path: String, message: String) {
        FileHandle.standardError.write(Data("yujing: scan: \(path): \(message)\n".utf8))
    }

    static func parseDay(_ text: String) -> CalendarDay? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let day = CalendarDay(year: parts[0], month: parts[1], day: parts[2])
        return day.isValid ? day : nil
    }

    static func currentDay() -> CalendarDay {
        let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
