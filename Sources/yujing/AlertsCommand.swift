import ArgumentParser
import Foundation
import YujingRules

/// `yujing alerts ls|show|ack|resolve|silence`: the warnings board from the command line.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List, show, acknowledge, resolve and silence warnings.",
        discussion: "Reading needs an analyst, datacenter, ops or auditor token; acting needs analyst, datacenter or ops.",
        subcommands: [List.self, Show.self, Acknowledge.self, Resolve.self, Silence.self], defaultSubcommand: List.self)

    static let levelText = ["I": "I 红 red", "II": "II 橙 orange", "III": "III 黄 yellow", "IV": "IV 蓝 blue"]

    static func show(_ warnings: [[String: Any]], format: ListFormat) {
        if format == .json {
            for warning in warnings { OperatorOutput.printJSON(warning) }
            return
        }
        let rows = warnings.map { w -> [String] in
            let level = OperatorOutput.text(w["level"])
            return [
                OperatorOutput.text(w["id"]), levelText[level] ?? level, OperatorOutput.text(w["state"]),
                OperatorOutput.text(w["count"]), OperatorOutput.text(w["rule"]), OperatorOutput.text(w["dataset"]),
                OperatorOutput.text(w["subject"]), OperatorOutput.text(w["last_seen"]), OperatorOutput.text(w["title"]),
            ]
        }
        print(
            OperatorOutput.table(
                ["ID", "LEVEL", "STATE", "COUNT", "RULE", "DATASET", "SUBJECT", "LAST SEEN", "TITLE"], rows),
            terminator: "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List warnings (filters as in the API).")
        @Option(name: .long, help: "Level: I, II, III, IV (or red, orange, yellow, blue).") var level: String?
        @Option(name: .long, help: "State: firing, acknowledged, resolved, silenced.") var state: String?
        @Option(name: .long, help: "Rule id.") var rule: String?
        @Option(name: .long, help: "Dataset id.") var dataset: String?
        @Option(name: .long, help: "Subject.") var subject: String?
        @Option(name: .long, help: "Most warnings.") var limit: Int?
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let path = APIClient.path(
                    "api/v1/warnings",
                    query: [
                        ("level", level), ("state", state), ("rule", rule), ("dataset", dataset), ("subject", subject),
                        ("limit", limit.map(String.init)),
                    ])
                let object = try await server.client().object("GET", path)
                AlertsCommand.show(object["warnings"] as? [[String: Any]] ?? [], format: format)
            } catch { OperatorOutput.fail(error, command: "alerts ls") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one warning with its evidence and history.")
        @Argument(help: "Warning id.") var id: Int
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let w = try await server.client().object("GET", "api/v1/warnings/\(id)")
                if format == .json {
                    OperatorOutput.printJSON(w)
                    return
                }
                AlertsCommand.show([w], format: .table)
                print("\nevidence: \(OperatorOutput.text(w["evidence"]))")
                let history = (w["history"] as? [[String: Any]] ?? []).map { h in
                    ["time", "action", "author", "level", "state", "comment"].map { OperatorOutput.text(h[$0]) }
                }
                print("\n" + OperatorOutput.table(["TIME", "ACTION", "BY", "LEVEL", "STATE", "COMMENT"], history), terminator: "")
            } catch { OperatorOutput.fail(error, command: "alerts show") }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge a firing warning.")
        @Argument(help: "Warning id.") var id: Int
        @Option(name: .long, help: "Comment (audited).") var comment: String?
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let w = try await server.client().object(
                    "POST", "api/v1/warnings/\(id)/acknowledge", json: comment.map { ["comment": $0] } ?? [:])
                AlertsCommand.show([w], format: format)
            } catch { OperatorOutput.fail(error, command: "alerts ack") }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve a warning.")
        @Argument(help: "Warning id.") var id: Int
        @Option(name: .long, help: "Comment (audited).") var comment: String?
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let w = try await server.client().object(
                    "POST", "api/v1/warnings/\(id)/resolve", json: comment.map { ["comment": $0] } ?? [:])
                AlertsCommand.show([w], format: format)
            } catch { OperatorOutput.fail(error, command: "alerts resolve") }
        }
    }

    struct Silence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Silence a warning's fingerprint for a while (new occurrences are muted, not lost).")
        @Argument(help: "Warning id.") var id: Int
        @Option(name: .long, help: "How long (e.g. 30m, 2h, 7d).") var duration: String
        @Option(name: .long, help: "Why (required, audited).") var comment: String
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard let millis = DurationText.milliseconds(duration), millis >= 1000 else {
                throw ValidationError("--duration: expected a duration like 30m, 2h, 7d")
            }
            guard !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--comment: required")
            }
        }

        func run() async throws {
            do {
                let seconds = (DurationText.milliseconds(duration) ?? 0) / 1000
                let answer = try await server.client().object(
                    "POST", "api/v1/warnings/\(id)/silence", json: ["duration_seconds": seconds, "comment": comment])
                if format == .json {
                    OperatorOutput.printJSON(answer)
                    return
                }
                print("silenced until \(OperatorOutput.text(answer["expires_at"])) (silence \(OperatorOutput.text(answer["id"])))")
                if let warning = answer["warning"] as? [String: Any] { AlertsCommand.show([warning], format: .table) }
            } catch { OperatorOutput.fail(error, command: "alerts silence") }
        }
    }
}

/// `yujing agents`: agent health from the center.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List agents: last heartbeat, health and last enforcement report.")
    @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let object = try await server.client().object("GET", "api/v1/agents")
            let agents = object["agents"] as? [[String: Any]] ?? []
            if format == .json {
                for agent in agents { OperatorOutput.printJSON(agent) }
                return
            }
            let rows = agents.map { a -> [String] in
                let enforcement = a["enforcement"] as? [String: Any]
                return [
                    OperatorOutput.text(a["name"]), OperatorOutput.text(a["node"]), OperatorOutput.text(a["health"]),
                    OperatorOutput.text(a["last_heartbeat"]), OperatorOutput.text(a["heartbeat_age_seconds"]),
                    OperatorOutput.text(a["lag_bytes"]), OperatorOutput.text(a["spool_batches"]),
                    enforcement.map { "\(OperatorOutput.text($0["status"])) v\(OperatorOutput.text($0["version"]))" }
                        ?? "—",
                ]
            }
            print(
                OperatorOutput.table(
                    ["NAME", "NODE", "HEALTH", "LAST HEARTBEAT", "AGE S", "LAG BYTES", "SPOOL BATCHES", "ENFORCEMENT"],
                    rows),
                terminator: "")
        } catch { OperatorOutput.fail(error, command: "agents") }
    }
}
