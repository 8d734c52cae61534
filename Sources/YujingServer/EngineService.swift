import Foundation
import Logging
import ServiceLifecycle

/// Background work of the engine: the wall-clock watermark tick (so `absence` rules fire on quiet input),
/// retention purges, and a snapshot of engine state at graceful shutdown.
struct EngineService: Service {
    let pipeline: Pipeline
    let configuration: ServerConfiguration
    let logger: Logger

    func run() async throws {
        let tick = configuration.watermarkTickSeconds
        let period: Duration = .seconds(tick > 0 ? tick : 3600)
        var sinceRetention: Duration = .zero
        purge()
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            if tick > 0 {
                do {
                    try await pipeline.tick(nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
                } catch {
                    logger.error("watermark tick failed", metadata: ["error": "\(error)"])
                }
            }
            sinceRetention += period
            if sinceRetention >= .seconds(3600) {
                sinceRetention = .zero
                purge()
            }
        }
        do {
            try await pipeline.saveSnapshot()
            logger.info("engine snapshot saved")
        } catch {
            logger.error("engine snapshot not saved", metadata: ["error": "\(error)"])
        }
    }

    func purge() {
        let cutoff = Int64(Date().timeIntervalSince1970 * 1000) - Int64(configuration.retentionDays) * 86_400_000
        do {
            let deleted = try pipeline.database.purge(olderThan: cutoff)
            if deleted > 0 { logger.info("retention purge", metadata: ["retention.deleted": "\(deleted)"]) }
        } catch {
            logger.error("retention purge failed", metadata: ["error": "\(error)"])
        }
    }
}
