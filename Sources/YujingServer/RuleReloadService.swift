import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads rules on SIGHUP: the new files are validated first; a bad file keeps the old rules and logs why.
struct RuleReloadService: Service {
    let pipeline: Pipeline
    let directory: String
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        do throws(ServerError) {
            let rules = try RuleDirectory.load(path: directory)
            await pipeline.reload(rules)
            logger.info("rules reloaded", metadata: ["rules.count": "\(rules.rules.count)"])
        } catch {
            logger.error("rules NOT reloaded, keeping the previous rules", metadata: ["error": "\(error)"])
        }
    }
}
