import ArgumentParser
import Foundation
import YujingServer
import YujingStore

/// `yujing token`: API tokens (created, listed, revoked; only hashes are stored).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "YAML configuration file (for the database path).")
        var config: String?

        @Option(name: .long, help: "SQLite database (overrides the configuration).")
        var database: String?

        func open() throws -> YujingDatabase {
            do {
                let configuration =
                    try config.map { path throws(ServerError) in try ServerConfiguration.load(path: path) }
                    ?? ServerConfiguration()
                return try YujingDatabase.open(path: database ?? configuration.database)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once (only its SHA-256 hash is stored).")

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "Role: agent, analyst, datacenter, ops, auditor.")
        var role: String

        @Option(name: .long, help: "Unique token name.")
        var name: String

        func run() throws {
            guard let role = TokenRole(rawValue: role) else {
                throw ValidationError("--role must be one of agent, analyst, datacenter, ops, auditor")
            }
            let token = try store.open().createToken(
                name: name, role: role, actor: "cli", nowMillis: TokenCommand.now())
            print(token)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "Token name.")
        var name: String

        func run() throws {
            try store.open().revokeToken(name: name, actor: "cli", nowMillis: TokenCommand.now())
            print("revoked \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List tokens (never secrets).")

        @OptionGroup var store: StoreOptions

        func run() throws {
            for token in try store.open().tokens() {
                let created = Date(timeIntervalSince1970: Double(token.createdMillis) / 1000).formatted(.iso8601)
                print("\(token.name)\t\(token.role.rawValue)\t\(created)\t\(token.revoked ? "revoked" : "active")")
            }
        }
    }
}
