import ArgumentParser
import Foundation

/// `yujing audit`: checks of the hash-chained audit log, on the local database or through the center's API.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit-log tools.",
        subcommands: [Verify.self, List.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit chain; exits 1 naming the first edited, inserted or deleted row.",
            discussion: """
                Without --server, reads the local database (--config/--database). With --server (and an operator \
                token in $YUJING_TOKEN or --token-file), asks the center (GET /api/v1/audit/verify).
                """)

        @OptionGroup var store: TokenCommand.StoreOptions
        @OptionGroup var server: ServerOptions
        @Option(name: .long, help: "Output with --server: table or json.") var format: ListFormat = .table

        func run() async throws {
            guard server.server != nil else {
                let result = try store.open().verifyAuditChain()
                print(result.description)
                if !result.isIntact { throw ExitCode(1) }
                return
            }
            let answer: [String: Any]
            do {
                answer = try await server.client().object("GET", "api/v1/audit/verify")
            } catch { OperatorOutput.fail(error, command: "audit verify") }
            let intact = answer["intact"] as? Bool ?? false
            if format == .json {
                OperatorOutput.printJSON(answer)
            } else if intact {
                print("audit chain intact: \(OperatorOutput.text(answer["rows"])) rows")
            } else {
                print(
                    "audit chain BROKEN after checking \(OperatorOutput.text(answer["rows"])) rows: \(OperatorOutput.text(answer["problem"]))"
                )
            }
            if !intact { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "Page through the audit log through the center's API.")
        @Option(name: .long, help: "Rows skipped.") var offset: Int = 0
        @Option(name: .long, help: "Rows shown (at most 1000).") var limit: Int = 100
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let page = try await server.client().object("GET", "api/v1/audit?offset=\(offset)&limit=\(limit)")
                let entries = page["entries"] as? [[String: Any]] ?? []
                if format == .json {
                    for entry in entries { OperatorOutput.printJSON(entry) }
                    return
                }
                let rows = entries.map { e in
                    ["id", "time", "actor", "action", "target", "detail"].map { OperatorOutput.text(e[$0]) }
                }
                print(OperatorOutput.table(["ID", "TIME", "ACTOR", "ACTION", "TARGET", "DETAIL"], rows), terminator: "")
                print("\(entries.count) of \(OperatorOutput.text(page["total"])) rows from offset \(offset)")
            } catch { OperatorOutput.fail(error, command: "audit ls") }
        }
    }
}
