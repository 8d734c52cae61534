import Foundation
import GRDB

extension YujingDatabase {
    /// The latest heartbeat of every agent that sent one (within retention), by agent name.
    /// - Returns: One entry per agent.
    /// - Throws: ``StoreError``.
    public func agentHeartbeats() throws(StoreError) -> [AgentHeartbeat] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT agent, node, time_ms, count, metrics FROM agent_latest ORDER BY agent")
                .map { row -> AgentHeartbeat in
                    let text: String? = row[4]
                    let metrics = text.flatMap { try? JSONDecoder().decode([String: Int64].self, from: Data($0.utf8)) }
                    return AgentHeartbeat(agent: row[0], node: row[1], lastMillis: row[2], count: row[3], metrics: metrics)
                }
        }
    }

    /// Refills `agent_latest` from the heartbeats in the table (after a migration or a purge). SQLite's bare-column
    /// rule: with MAX(), `node` and `metrics` come from the row holding the maximum.
    static let rebuildAgentLatestSQL = """
        INSERT INTO agent_latest (agent, node, time_ms, count, metrics)
        SELECT agent, node, MAX(time_ms), COUNT(*), metrics FROM heartbeat GROUP BY agent
        """

    /// Ingest's upsert of `agent_latest` for one heartbeat: counted always, node and metrics taken only from a
    /// heartbeat at least as new as the stored one (right-hand sides read the row before the update).
    static let upsertAgentLatestSQL = """
        INSERT INTO agent_latest (agent, node, time_ms, count, metrics) VALUES (?, ?, ?, 1, ?)
        ON CONFLICT (agent) DO UPDATE SET
            count = count + 1,
            node = CASE WHEN excluded.time_ms >= time_ms THEN excluded.node ELSE node END,
            metrics = CASE WHEN excluded.time_ms >= time_ms THEN excluded.metrics ELSE metrics END,
            time_ms = MAX(time_ms, excluded.time_ms)
        """

    /// Recent findings of a dataset, newest first: kind, count and masked samples (never a clear value).
    /// - Parameters:
    ///   - dataset: Dataset id.
    ///   - limit: Most rows.
    /// - Returns: The findings with their stored keyed hashes left out.
    /// - Throws: ``StoreError``.
    public func recentFindings(dataset: String, limit: Int = 50) throws(StoreError) -> [MaskedFinding] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT time_ms, agent, file, kind, count, masked_samples FROM finding WHERE dataset = ?
                    ORDER BY time_ms DESC, id DESC LIMIT ?
                    """, arguments: [dataset, limit]
            ).map {
                MaskedFinding(
                    timeMillis: $0[0], agent: $0[1], file: $0[2], kind: $0[3], count: $0[4],
                    maskedSamples: Self.jsonArray($0[5]))
            }
        }
    }
}
