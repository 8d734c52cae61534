import ArgumentParser
import Foundation
import YujingCore
import YujingParsing
import YujingRules

/// `yujing replay`: runs access logs through the parser and the correlation engine offline and prints the
/// warnings, like `fail2ban-regex` or `wazuh-logtest` for Yujing rules.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay access logs through the rules on event time and print the warnings they raise.",
        discussion: """
            Lines that do not parse are counted and reported (first line numbers on stderr), never fatal.
            Time is the logs' own: windows, lateness and silences are judged on event time.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @Option(name: .long, help: "Rule file or folder of *.yaml rule files (repeatable).")
    var rules: [String] = ["Alerts"]

    @Option(name: .long, help: "Log format: nginx (combined/common) or json.")
    var logFormat: String = "nginx"

    @Option(name: .long, help: "YAML/JSON parse configuration: JSON field map, URL patterns, subject parameters.")
    var fieldMap: String?

    @Option(name: .long, help: "YAML/JSON scope catalogue (datasets, approvals, restrictions) for scope rules.")
    var catalogue: String?

    @Option(name: .long, help: "Output: table (default) or json (JSON Lines).")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Allowed lateness of out-of-order events, in seconds.")
    var lateness: Int = 300

    @Option(name: .long, help: "Node name stamped on events.")
    var node: String?

    @Flag(name: .long, help: "Report parse and engine time separately on stderr (parses everything first).")
    var timing = false

    @Argument(help: "Access log files.")
    var logFiles: [String]

    func validate() throws {
        guard LogFormat.named(logFormat) != nil else {
            throw ValidationError("--log-format must be nginx or json")
        }
        guard lateness >= 0 else { throw ValidationError("--lateness must be ≥ 0") }
        guard !logFiles.isEmpty else { throw ValidationError("give at least one log file") }
    }

    func run() throws {
        let ruleSet = try loadRules()
        var parseConfiguration = ParseConfiguration()
        if let fieldMap {
            parseConfiguration = try YAMLConfiguration.decode(
                ParseConfiguration.self, from: try readText(fieldMap), file: fieldMap)
        }
        if let format = LogFormat.named(logFormat), fieldMap == nil || logFormat != "nginx" {
            parseConfiguration.format = format
        }
        if let node { parseConfiguration.node = node }
        var oracle: (any ScopeOracle)?
        if let catalogue {
            oracle = try YAMLConfiguration.decode(
                StaticScopeCatalogue.self, from: try readText(catalogue), file: catalogue)
        }
        let engine = CorrelationEngine(
            rules: ruleSet,
            configuration: EngineConfiguration(allowedLatenessMillis: Int64(lateness) * 1_000),
            scopeOracle: oracle)
        var replay = Replay(
            parser: AccessLogParser(configuration: parseConfiguration), engine: engine,
            output: ReplayOutput(format: format))
        if format == .table { replay.output.header() }
        var inputs: [(file: String, data: Data, firstTime: Int64)] = []
        for file in logFiles {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
            } catch {
                throw ReplayFailure(message: "cannot read \(file)")
            }
            inputs.append((file, data, Replay.firstEventTime(data, parser: replay.parser) ?? .max))
        }
        // Rotated logs (`access.log access.log.1 …`) are given newest first; replay them oldest first so that
        // event time only moves forward. The sort is stable for files that start at the same time.
        let ordered = inputs.enumerated().sorted {
            ($0.element.firstTime, $0.offset) < ($1.element.firstTime, $1.offset)
        }
        for (_, input) in ordered {
            let (file, data) = (input.file, input.data)
            if timing {
                replay.timedRun(data: data, file: file)
            } else {
                replay.run(data: data, file: file)
            }
        }
        replay.finish()
    }

    private func loadRules() throws -> RuleSet {
        var files: [(name: String, text: String)] = []
        for path in rules {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReplayFailure(message: "rules not found: \(path)")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                for name in names {
                    let full = (path as NSString).appendingPathComponent(name)
                    files.append((name: full, text: try readText(full)))
                }
            } else {
                files.append((name: path, text: try readText(path)))
            }
        }
        do {
            return try RuleLoader.load(files: files)
        } catch {
            throw ReplayFailure(message: "invalid rules: \(error)")
        }
    }

    private func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayFailure(message: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
