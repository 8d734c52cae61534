import ArgumentParser

/// `yujing scan`: find leaked identifiers in dataset files.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan dataset files and folders for leaked personal identifiers."
    )

    @Argument(help: "Files or folders to scan (folders recursively).")
    var paths: [String]

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
