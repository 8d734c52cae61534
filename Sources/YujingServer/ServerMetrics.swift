import Prometheus
import YujingCore

/// The daemon's Prometheus metrics (text exposition at `/metrics`).
public final class ServerMetrics: Sendable {
    /// The registry.
    public let registry = PrometheusCollectorRegistry()
    let eventsAccess: Counter
    let eventsFinding: Counter
    let eventsHeartbeat: Counter
    let batchesDuplicate: Counter
    let eventsDrill: Counter
    let batchesRejected: Counter
    let ruleEvaluations: Gauge
    let lateEvents: Gauge
    let droppedState: Gauge
    let engineKeys: Gauge
    let alertsByLevel: [WarningLevel: Counter]
    let ingestLatency: DurationHistogram
    let notificationsDropped: Gauge
    let notificationsFailed: Gauge
    let notificationsDelivered: Gauge

    /// Creates the metric families.
    public init() {
        eventsAccess = registry.makeCounter(
            name: "yujing_events_ingested_total", labels: [("kind", "access")], help: "Events stored, by kind")
        eventsFinding = registry.makeCounter(
            name: "yujing_events_ingested_total", labels: [("kind", "finding")], help: "Events stored, by kind")
        eventsHeartbeat = registry.makeCounter(
            name: "yujing_events_ingested_total", labels: [("kind", "heartbeat")], help: "Events stored, by kind")
        eventsDrill = registry.makeCounter(
            name: "yujing_drill_events_ingested_total", help: "Drill events stored (never counted as real events)")
        batchesDuplicate = registry.makeCounter(
            name: "yujing_ingest_duplicate_batches_total", help: "Re-sent batches acknowledged without storing")
        batchesRejected = registry.makeCounter(
            name: "yujing_ingest_rejected_batches_total", help: "Batches rejected (schema, size, encoding)")
        ruleEvaluations = registry.makeGauge(
            name: "yujing_rule_evaluations_total", help: "Rule evaluations by the correlation engine")
        lateEvents = registry.makeGauge(
            name: "yujing_late_events_total", help: "Events older than the watermark, dropped by the engine")
        droppedState = registry.makeGauge(
            name: "yujing_engine_dropped_state_total", help: "Engine state entries dropped by caps")
        engineKeys = registry.makeGauge(name: "yujing_engine_keys", help: "Keys held by the engine")
        var byLevel: [WarningLevel: Counter] = [:]
        for level in WarningLevel.allCases {
            byLevel[level] = registry.makeCounter(
                name: "yujing_alerts_total", labels: [("level", level.rawValue)],
                help: "Warnings raised, escalated or reopened, by level")
        }
        alertsByLevel = byLevel
        ingestLatency = registry.makeDurationHistogram(
            name: "yujing_ingest_duration_seconds",
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ], help: "Time to store and evaluate one ingest batch")
        notificationsDropped = registry.makeGauge(
            name: "yujing_notifications_dropped_total", help: "Notifications dropped because a queue was full")
        notificationsFailed = registry.makeGauge(
            name: "yujing_notifications_failed_total", help: "Notifications given up after retries")
        notificationsDelivered = registry.makeGauge(
            name: "yujing_notifications_delivered_total", help: "Notifications delivered")
    }

    func countEvents(access: Int, finding: Int, heartbeat: Int) {
        if access > 0 { eventsAccess.increment(by: Int64(access)) }
        if finding > 0 { eventsFinding.increment(by: Int64(finding)) }
        if heartbeat > 0 { eventsHeartbeat.increment(by: Int64(heartbeat)) }
    }
}
