import Logging
import ServiceLifecycle
import UnixSignals
import YujingStore

/// Reloads rules on SIGHUP: the new files are validated first; a bad file keeps the old rules and logs why.
struct RuleReloadService: Service {
    let pipeline: Pipeline
    let responder: Responder
    let configuration: ServerConfiguration
    let database: YujingDatabase
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        do throws(ServerError) {
            let rules = try RuleDirectory.load(path: configuration.rules)
            await pipeline.reload(rules)
            logger.info("rules reloaded", metadata: ["rules.count": "\(rules.rules.count)"])
        } catch {
            logger.error("rules NOT reloaded, keeping the previous rules", metadata: ["error": "\(error)"])
        }
        do throws(ServerError) {
            let plans = try ResponsePlans.load(directory: configuration.runbooks)
            await responder.reload(plans)
            logger.info("response plans reloaded", metadata: ["plans.count": "\(plans.count)"])
        } catch {
            logger.error("response plans NOT reloaded, keeping the previous plans", metadata: ["error": "\(error)"])
        }
        if let catalogue = configuration.catalogue {
            do throws(ServerError) {
                try CatalogueFile.load(path: catalogue, into: database)
                await pipeline.refreshScope()
                logger.info("catalogue reloaded")
            } catch {
                logger.error("catalogue NOT reloaded", metadata: ["error": "\(error)"])
            }
        }
    }
}
