import ArgumentParser
import Foundation
import YujingCore
import YujingResponse
import YujingRules

/// Output format of operator listings.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `yujing withdraw DATASET --reason ...`: withdraw a dataset (Art. 27).
struct WithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw a dataset at once (Art. 27): agents block and quarantine it, the platform adapter is called, verification follows.",
        discussion: "Needs a datacenter token. Under the two-person rule the withdrawal is proposed and another operator approves it with `yujing withdrawals approve ID`."
    )

    @Argument(help: "Dataset id (as in the catalogue).") var dataset: String
    @Option(name: .long, help: "Why (recorded in the audit log).") var reason: String
    @Option(name: .long, help: "Warning id this answers.") var warning: Int?
    @Option(name: .long, help: "Traceback start (RFC 3339 or YYYY-MM-DD; default: the first leak finding).") var since: String?
    @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            var body: [String: Any] = ["dataset": dataset, "reason": reason]
            if let warning { body["warning_id"] = warning }
            if let since { body["since"] = since }
            let withdrawal = try await server.client().object("POST", "api/v1/withdrawals", json: body)
            WithdrawalsCommand.show([withdrawal], format: format)
        } catch { OperatorOutput.fail(error, command: "withdraw") }
    }
}

/// `yujing withdrawals`: list, approve, cancel.
struct WithdrawalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdrawals", abstract: "List withdrawals; approve or cancel a proposed one.",
        subcommands: [List.self, Approve.self, Cancel.self], defaultSubcommand: List.self)

    /// Posts a withdrawal action (`approve`, `cancel`, `restore`) with a comment and shows the result.
    static func act(_ action: String, id: Int, comment: String, server: ServerOptions, command: String) async {
        do {
            let w = try await server.client().object(
                "POST", "api/v1/withdrawals/\(id)/\(action)", json: ["comment": comment])
            show([w], format: .table)
        } catch { OperatorOutput.fail(error, command: command) }
    }

    static func show(_ withdrawals: [[String: Any]], format: ListFormat) {
        if format == .json {
            for withdrawal in withdrawals { OperatorOutput.printJSON(withdrawal) }
            return
        }
        let rows = withdrawals.map { w -> [String] in
            [
                OperatorOutput.text(w["id"]), OperatorOutput.text(w["dataset"]), OperatorOutput.text(w["state"]),
                OperatorOutput.text((w["verification"] as? [String: Any])?["status"]),
                OperatorOutput.text((w["adapter"] as? [String: Any])?["status"]),
                OperatorOutput.text(w["updated_at"]), OperatorOutput.text(w["reason"]),
            ]
        }
        print(
            OperatorOutput.table(["ID", "DATASET", "STATE", "VERIFIED", "ADAPTER", "UPDATED", "REASON"], rows),
            terminator: "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List withdrawals.")
        @Option(name: .long, help: "Only these states (comma-separated).") var state: String?
        @Option(name: .long, help: "Only this dataset.") var dataset: String?
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let path = APIClient.path("api/v1/withdrawals", query: [("state", state), ("dataset", dataset)])
                let object = try await server.client().object("GET", path)
                WithdrawalsCommand.show(object["withdrawals"] as? [[String: Any]] ?? [], format: format)
            } catch { OperatorOutput.fail(error, command: "withdrawals") }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposed withdrawal and execute it.")
        @Argument var id: Int
        @Option(name: .long) var comment: String = ""
        @OptionGroup var server: ServerOptions

        func run() async throws {
            await WithdrawalsCommand.act("approve", id: id, comment: comment, server: server, command: "withdrawals approve")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a proposed or approved withdrawal.")
        @Argument var id: Int
        @Option(name: .long) var comment: String = ""
        @OptionGroup var server: ServerOptions

        func run() async throws {
            await WithdrawalsCommand.act("cancel", id: id, comment: comment, server: server, command: "withdrawals cancel")
        }
    }
}

/// `yujing restore ID`: serve a dataset again after a clean re-scan of its new version.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a withdrawn dataset once its new version was re-scanned clean (re-desensitized).")
    @Argument(help: "Withdrawal id.") var id: Int
    @Option(name: .long) var comment: String = ""
    @OptionGroup var server: ServerOptions

    func run() async throws {
        await WithdrawalsCommand.act("restore", id: id, comment: comment, server: server, command: "restore")
    }
}

/// `yujing trace DATASET`: everyone who obtained a dataset.
struct TraceCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace back everyone who obtained a dataset (downloads, API calls, sandbox) since a time (Art. 27).")
    @Argument(help: "Dataset id.") var dataset: String
    @Option(name: .long, help: "From (RFC 3339 or YYYY-MM-DD; default: the start of its latest withdrawal's traceback).")
    var since: String?
    @Option(name: .long, help: "Until (RFC 3339 or YYYY-MM-DD).") var until: String?
    @Option(name: .long, help: "Output: table, csv or json.") var format: Format = .table
    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let path = APIClient.path(
                "api/v1/datasets/\(APIClient.segment(dataset))/traceback",
                query: [("since", since), ("until", until), ("format", format == .csv ? "csv" : nil)])
            let client = try server.client()
            if format == .csv {
                FileHandle.standardOutput.write(try await client.request("GET", path, accept: "text/csv"))
                return
            }
            let document = try await client.object("GET", path)
            if format == .json {
                OperatorOutput.printJSON(document)
                return
            }
            let rows = (document["rows"] as? [[String: Any]] ?? []).map { row in
                ["subject_kind", "subject", "channel", "count", "first", "last", "bytes"].map {
                    OperatorOutput.text(row[$0])
                }
            }
            print(
                "dataset \(OperatorOutput.text(document["dataset"])) since \(OperatorOutput.text(document["since"])): "
                    + "\(OperatorOutput.text(document["subjects"])) subjects, \(OperatorOutput.text(document["requests"])) requests")
            print(OperatorOutput.table(["KIND", "SUBJECT", "CHANNEL", "COUNT", "FIRST", "LAST", "BYTES"], rows), terminator: "")
        } catch { OperatorOutput.fail(error, command: "trace") }
    }
}

/// `yujing activity SUBJECT`: what one data user requested, per dataset (the reverse of `trace`).
struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "What one data user (or address) requested, per dataset and channel, in a time range (Art. 18).")
    @Argument(help: "app_key:KEY, user:ID, token:TOKEN or ip:ADDRESS (a bare address or key is guessed).")
    var subject: String
    @Option(name: .long, help: "From (RFC 3339 or YYYY-MM-DD; default: 7 days before --until).") var since: String?
    @Option(name: .long, help: "Until (RFC 3339 or YYYY-MM-DD; default: now).") var until: String?
    @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            var (kind, id) = RestrictCommand.parseSubject(subject)
            if kind == "cidr" { kind = "ip" }
            let path = APIClient.path(
                "api/v1/subjects/\(kind)/\(APIClient.segment(id))/activity", query: [("since", since), ("until", until)])
            let document = try await server.client().object("GET", path)
            if format == .json {
                OperatorOutput.printJSON(document)
                return
            }
            let rows = (document["rows"] as? [[String: Any]] ?? []).map { row in
                ["dataset", "channel", "count", "obtained", "first", "last", "bytes", "addresses"].map {
                    $0 == "dataset" && row[$0] == nil ? "-" : OperatorOutput.text(row[$0])
                }
            }
            let shown = Subject.Kind(rawValue: kind).map { Subject(kind: $0, id: id).description } ?? "\(kind):\(id)"
            print(
                "\(shown) from \(OperatorOutput.text(document["since"])) to \(OperatorOutput.text(document["until"])): "
                    + "\(OperatorOutput.text(document["datasets"])) datasets, \(OperatorOutput.text(document["requests"])) requests")
            print(
                OperatorOutput.table(["DATASET", "CHANNEL", "COUNT", "OBTAINED", "FIRST", "LAST", "BYTES", "ADDRS"], rows),
                terminator: "")
        } catch { OperatorOutput.fail(error, command: "activity") }
    }
}

/// `yujing restrict SUBJECT`: restrict a data user (Art. 26).
struct RestrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restrict",
        abstract: "Restrict a data user (Art. 26): warn, throttle, suspend, or close (close needs a datacenter approval).",
        discussion: """
            SUBJECT is app_key:KEY, user:ID, ip:ADDRESS or cidr:BLOCK (a bare address or block is taken as such).
            Grounds (Art. 26): 1 malicious acquisition, 2 infringing privacy or secrets, 3 beyond the authorized
            scenario, 4 breach of the platform's requirements.
            """)
    @Argument(help: "app_key:KEY, user:ID, ip:ADDRESS or cidr:BLOCK.") var subject: String
    @Option(name: .long, help: "warn, throttle, suspend or close.") var measure: RestrictionMeasure
    @Option(name: .long, help: "Art. 26 ground: 1, 2, 3 or 4.") var ground: Int
    @Option(name: .long, help: "Why.") var reason: String
    @Option(name: .long, help: "Duration (e.g. 24h, 7d); required for suspend.") var duration: String?
    @Option(name: .long, help: "Requests per minute (throttle).") var rate: Int?
    @Option(name: .long, help: "Warning id this answers.") var warning: Int?
    @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
    @OptionGroup var server: ServerOptions

    static func parseSubject(_ text: String) -> (String, String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, RestrictedSubjectKind(rawValue: parts[0]) != nil { return (parts[0], parts[1]) }
        if text.contains("/") { return ("cidr", text) }
        if text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }), text.contains(".") || text.contains(":") {
            return ("ip", text)
        }
        return ("app_key", text)
    }

    func run() async throws {
        do {
            let (kind, id) = Self.parseSubject(subject)
            var body: [String: Any] = [
                "subject_kind": kind, "subject": id, "measure": measure.rawValue, "ground": ground, "reason": reason,
            ]
            if let duration {
                guard let millis = DurationText.milliseconds(duration), millis >= 1000 else {
                    throw ValidationError("--duration: expected a duration like 30m, 24h, 7d")
                }
                body["duration_seconds"] = millis / 1000
            }
            if let rate { body["rate_per_minute"] = rate }
            if let warning { body["warning_id"] = warning }
            let record = try await server.client().object("POST", "api/v1/restrictions", json: body)
            RestrictionsCommand.show([record], format: format)
        } catch { OperatorOutput.fail(error, command: "restrict") }
    }
}

extension RestrictionMeasure: ExpressibleByArgument {}

/// `yujing lift ID`: lift a restriction (or reject a proposed one).
struct LiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lift", abstract: "Lift a restriction in force, or reject a proposed one.")
    @Argument(help: "Restriction id.") var id: Int
    @Option(name: .long) var reason: String = "lifted"
    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let record = try await server.client().object(
                "POST", "api/v1/restrictions/\(id)/lift", json: ["reason": reason])
            RestrictionsCommand.show([record], format: .table)
        } catch { OperatorOutput.fail(error, command: "lift") }
    }
}

/// `yujing restrictions`: list; approve a proposed closure.
struct RestrictionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restrictions", abstract: "List restrictions; approve a proposed one.",
        subcommands: [List.self, Approve.self], defaultSubcommand: List.self)

    static func show(_ records: [[String: Any]], format: ListFormat) {
        if format == .json {
            for record in records { OperatorOutput.printJSON(record) }
            return
        }
        let rows = records.map { r -> [String] in
            [
                OperatorOutput.text(r["id"]),
                "\(OperatorOutput.text(r["subject_kind"])):\(OperatorOutput.text(r["subject"]))",
                OperatorOutput.text(r["measure"]), OperatorOutput.text(r["state"]), OperatorOutput.text(r["ground"]),
                OperatorOutput.text(r["starts_at"]), OperatorOutput.text(r["until"]),
                OperatorOutput.text(r["repeat_index"]),
            ]
        }
        print(
            OperatorOutput.table(["ID", "SUBJECT", "MEASURE", "STATE", "GROUND", "FROM", "UNTIL", "REPEAT"], rows),
            terminator: "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List restrictions.")
        @Option(name: .long, help: "Only these states (comma-separated): proposed, active, expired, lifted, rejected.")
        var state: String?
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let path = "api/v1/restrictions" + (state.map { "?state=\($0)" } ?? "")
                let object = try await server.client().object("GET", path)
                RestrictionsCommand.show(object["restrictions"] as? [[String: Any]] ?? [], format: format)
            } catch { OperatorOutput.fail(error, command: "restrictions") }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposed restriction (datacenter).")
        @Argument var id: Int
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let record = try await server.client().object("POST", "api/v1/restrictions/\(id)/approve")
                RestrictionsCommand.show([record], format: .table)
            } catch { OperatorOutput.fail(error, command: "restrictions approve") }
        }
    }
}
