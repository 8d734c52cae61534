import Logging
import ServiceLifecycle

/// Runs the responder: applies plans to warning changes as they come, and ticks (adapter retries, verification,
/// clean re-scans, expiry) every `response.tick_seconds`.
struct ResponseService: Service {
    let responder: Responder
    let triggers: AsyncStream<[ResponseTrigger]>
    let tickSeconds: Int
    let logger: Logger

    func run() async throws {
        let responder = responder
        let triggers = triggers
        let period: Duration = .seconds(tickSeconds)
        await cancelWhenGracefulShutdownIgnoringErrors {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await batch in triggers { await responder.handle(batch) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await Task.sleep(for: period)
                        } catch {
                            break
                        }
                        await responder.tick()
                    }
                }
                await group.waitForAll()
            }
        }
        logger.info("response service stopped")
    }
}

/// Runs a body until graceful shutdown cancels it.
func cancelWhenGracefulShutdownIgnoringErrors(_ body: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown { await body() }
}
