import Foundation
import YujingStore

/// One agent's health as the API and the console show it: the latest heartbeat and enforcement report.
public struct AgentStatus: Sendable, Hashable {
    /// Health derived from the heartbeat age.
    public enum Health: String, Sendable {
        /// A heartbeat within the staleness bound.
        case ok
        /// The latest heartbeat is older than the bound.
        case stale
        /// No heartbeat stored (an agent token or an enforcement report only).
        case never
    }

    /// Agent name.
    public var name: String
    /// Node of the latest heartbeat.
    public var node: String?
    /// Latest heartbeat, epoch ms.
    public var lastHeartbeatMillis: Int64?
    /// Heartbeats stored (within retention).
    public var heartbeats: Int
    /// Metrics of the latest heartbeat (`lag_bytes`, `spool_bytes`, `spool_batches`, `backpressure`, ...).
    public var metrics: [String: Int64]
    /// Health.
    public var health: Health
    /// Latest enforcement report.
    public var enforcement: EnforcementReportRecord?
    /// Whether an agent token of this name exists and is not revoked.
    public var hasToken: Bool

    /// Heartbeats older than this are stale (3 default heartbeat intervals plus margin).
    public static let staleAfterMillis: Int64 = 120_000

    /// Collects every agent known by heartbeat, enforcement report or agent token.
    /// - Parameters:
    ///   - database: Store.
    ///   - nowMillis: Now, epoch ms.
    /// - Returns: Agents by name.
    /// - Throws: ``StoreError``.
    public static func collect(database: YujingDatabase, nowMillis: Int64) throws -> [AgentStatus] {
        let beats = Dictionary(
            try database.agentHeartbeats().map { ($0.agent, $0) }, uniquingKeysWith: { first, _ in first })
        let reports = Dictionary(
            try database.enforcementReports().map { ($0.agent, $0) }, uniquingKeysWith: { first, _ in first })
        let tokens = Set(try database.tokens().filter { $0.role == .agent && !$0.revoked }.map(\.name))
        let names = Set(beats.keys).union(reports.keys).union(tokens).sorted()
        return names.map { name in
            let beat = beats[name]
            let health: Health
            if let beat {
                health = nowMillis - beat.lastMillis > staleAfterMillis ? .stale : .ok
            } else {
                health = .never
            }
            return AgentStatus(
                name: name, node: beat?.node, lastHeartbeatMillis: beat?.lastMillis, heartbeats: beat?.count ?? 0,
                metrics: beat?.metrics ?? [:], health: health, enforcement: reports[name],
                hasToken: tokens.contains(name))
        }
    }
}
