import ArgumentParser

/// The `yujing` command: the composition root of every subcommand.
@main
struct Yujing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yujing",
        abstract: "Yujing (预警): security monitoring and graded early warning for open-data platforms.",
        version: "0.1.0",
        subcommands: [
            ScanCommand.self, ReplayCommand.self, ServeCommand.self, AgentCommand.self, TokenCommand.self,
            AuditCommand.self, WithdrawCommand.self, WithdrawalsCommand.self, RestoreCommand.self, TraceCommand.self, ActivityCommand.self,
            RestrictCommand.self, LiftCommand.self, RestrictionsCommand.self, DrillCommand.self, AlertsCommand.self,
            AgentsCommand.self,
        ]
    )
}
