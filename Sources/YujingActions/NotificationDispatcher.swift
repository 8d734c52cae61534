import Logging
import ServiceLifecycle
import Synchronization

/// Sends notifications to every receiver from bounded queues drained in the background, so that a slow or dead
/// receiver never blocks ingest: when a queue is full the notification is dropped and counted.
///
/// Run it as a `Service` (its `run()` drains until graceful shutdown, then makes one last attempt per queued item).
public final class NotificationDispatcher: Service, Sendable {
    struct Queue: Sendable {
        let sink: any NotificationSink
        let stream: AsyncStream<AlertNotification>
        let continuation: AsyncStream<AlertNotification>.Continuation
    }

    let queues: [Queue]
    let stats: Mutex<[String: DeliveryStats]>
    let shuttingDown = Mutex(false)
    let maxAttempts: Int
    let initialBackoff: Duration
    let logger: Logger

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - sinks: Receivers.
    ///   - capacity: Queue capacity per receiver.
    ///   - maxAttempts: Attempts per notification before giving up.
    ///   - initialBackoff: First retry delay (doubles each retry, at most 30 s).
    ///   - logger: Logger.
    public init(
        sinks: [any NotificationSink], capacity: Int = 10_000, maxAttempts: Int = 5,
        initialBackoff: Duration = .milliseconds(500), logger: Logger
    ) {
        queues = sinks.map { sink in
            let (stream, continuation) = AsyncStream.makeStream(
                of: AlertNotification.self, bufferingPolicy: .bufferingOldest(capacity))
            return Queue(sink: sink, stream: stream, continuation: continuation)
        }
        stats = Mutex(Dictionary(uniqueKeysWithValues: sinks.map { ($0.name, DeliveryStats()) }))
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.logger = logger
    }

    /// Queues a notification for every receiver. Never waits.
    /// - Parameter notification: The notification.
    public func enqueue(_ notification: AlertNotification) {
        for queue in queues {
            if case .dropped = queue.continuation.yield(notification) {
                stats.withLock { $0[queue.sink.name, default: DeliveryStats()].droppedQueueFull += 1 }
            }
        }
    }

    /// Counters per receiver name.
    public var deliveryStats: [String: DeliveryStats] { stats.withLock { $0 } }

    /// Drains the queues until graceful shutdown.
    /// - Throws: Never in practice.
    public func run() async throws {
        guard !queues.isEmpty else {
            // Nothing to drain, but a service must not return before shutdown.
            try? await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for queue in queues {
                    group.addTask { await self.drain(queue) }
                }
            }
        } onGracefulShutdown: {
            self.shuttingDown.withLock { $0 = true }
            for queue in self.queues { queue.continuation.finish() }
        }
    }

    func drain(_ queue: Queue) async {
        for await notification in queue.stream {
            await deliver(notification, to: queue.sink)
        }
    }

    func deliver(_ notification: AlertNotification, to sink: any NotificationSink) async {
        var delay = initialBackoff
        var attempt = 1
        while true {
            do throws(ActionsError) {
                try await sink.deliver([notification])
                stats.withLock { $0[sink.name, default: DeliveryStats()].delivered += 1 }
                return
            } catch {
                let stopping = shuttingDown.withLock { $0 }
                if attempt >= maxAttempts || stopping {
                    stats.withLock { $0[sink.name, default: DeliveryStats()].failed += 1 }
                    logger.warning(
                        "notification not delivered",
                        metadata: [
                            "receiver.name": "\(sink.name)", "error": "\(error)", "notification.attempts": "\(attempt)",
                        ])
                    return
                }
                stats.withLock { $0[sink.name, default: DeliveryStats()].retries += 1 }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
                attempt += 1
            }
        }
    }
}
