import ArgumentParser
import Foundation

/// `yujing audit`: checks of the hash-chained audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit-log tools.",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit chain; exits 1 naming the first edited, inserted or deleted row.")

        @OptionGroup var store: TokenCommand.StoreOptions

        func run() throws {
            let result = try store.open().verifyAuditChain()
            print(result.description)
            if !result.isIntact { throw ExitCode(1) }
        }
    }
}
