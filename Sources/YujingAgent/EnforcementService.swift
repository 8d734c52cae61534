import Foundation
import Logging
import ServiceLifecycle

/// Polls the center's enforcement document every `enforcement.poll_ms`; applies it (``EnforcementApplier``)
/// when its version changed, or again after a failed apply (backing off up to a minute), and posts the report.
/// A network failure is logged and retried at the next poll; what was applied stays in force, though
/// restrictions whose `until` passed are lifted locally. A report that could not be posted is re-sent.
public struct EnforcementService: Service {
    let applier: EnforcementApplier
    let client: EnforcementClient
    let pollMillis: Int
    let metrics: AgentMetrics
    let logger: Logger
    /// Longest wait before a failed apply is retried.
    static let maxRetryMillis = 60_000

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: Agent configuration (center, token, `enforcement`).
    ///   - applier: Applies documents on this node.
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    public init(
        configuration: AgentConfiguration, applier: EnforcementApplier, metrics: AgentMetrics, logger: Logger
    ) {
        self.applier = applier
        self.client = EnforcementClient(configuration: configuration)
        self.pollMillis = configuration.enforcement?.pollMillis ?? 1_000
        self.metrics = metrics
        self.logger = logger
    }

    /// Polls until graceful shutdown.
    public func run() async {
        var appliedVersion: String?
        var pendingReport: EnforcementReport?
        var retryAt: ContinuousClock.Instant?
        var retryMillis = pollMillis
        var centerReachable = true
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var applied = false
            do throws(AgentError) {
                let document = try await client.fetch()
                if !centerReachable {
                    logger.info(
                        "enforcement document fetched again", metadata: ["enforcement.version": "\(document.version)"])
                    centerReachable = true
                }
                let retryDue = retryAt.map { ContinuousClock.now >= $0 } ?? false
                if document.version != appliedVersion || retryDue {
                    let report = await applier.apply(document, now: Date())
                    applied = true
                    appliedVersion = document.version
                    if report.hasFailures {
                        retryAt = .now + .milliseconds(retryMillis)
                        retryMillis = min(retryMillis * 2, Self.maxRetryMillis)
                    } else {
                        retryAt = nil
                        retryMillis = pollMillis
                    }
                    pendingReport = report
                }
            } catch {
                metrics.add(.enforcementFetchFailures)
                if centerReachable {
                    logger.info(
                        "enforcement document not fetched; keeping what is in force",
                        metadata: ["reason": "\(error)", "enforcement.version": "\(appliedVersion ?? "")"])
                    centerReachable = false
                }
            }
            if !applied { await applier.refresh(now: Date()) }
            if let report = pendingReport {
                do throws(AgentError) {
                    try await client.send(report)
                    pendingReport = nil
                } catch {
                    metrics.add(.enforcementFetchFailures)
                    logger.info(
                        "enforcement report not delivered; retrying",
                        metadata: ["reason": "\(error)", "enforcement.version": "\(report.version)"])
                }
            }
            try? await Task.sleep(for: .milliseconds(pollMillis))
        }
    }
}
