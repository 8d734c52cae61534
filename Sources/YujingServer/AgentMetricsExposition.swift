import Foundation

/// The agents' health in Prometheus text format, appended to the center's `/metrics`, so the usual alerting works on
/// agents too (`yujing_agent_up == 0`, `yujing_agent_backpressure == 1`, `increase(yujing_agent_batches_lost_total[1h])
/// > 0`). Values come from each agent's latest heartbeat: counters keep the agent's own totals (they restart at 0
/// with the agent, which Prometheus' `rate()` and `increase()` handle as a counter reset).
enum AgentMetricsExposition {
    /// Heartbeat metrics that are levels, not totals.
    static let gauges: Set<String> = ["spool_bytes", "spool_batches", "backpressure", "lag_bytes", "files_tracked"]

    /// Renders the families, one sample per agent, in a stable order.
    /// - Parameter statuses: The agents, as ``AgentStatus/collect(database:nowMillis:)`` returns them.
    /// - Returns: Text exposition (format 0.0.4), empty without agents.
    static func render(_ statuses: [AgentStatus]) -> String {
        guard !statuses.isEmpty else { return "" }
        var out = ""
        family(
            &out, "yujing_agent_up", type: "gauge",
            help: "1 while the agent's latest heartbeat is younger than \(AgentStatus.staleAfterMillis / 1_000) s")
        for status in statuses { out += "yujing_agent_up{agent=\"\(escape(status.name))\"} \(status.health == .ok ? 1 : 0)\n" }
        let beating = statuses.filter { $0.lastHeartbeatMillis != nil }
        if !beating.isEmpty {
            family(
                &out, "yujing_agent_last_heartbeat_timestamp_seconds", type: "gauge",
                help: "Time of the agent's latest heartbeat")
            for status in beating {
                let seconds = Double(status.lastHeartbeatMillis ?? 0) / 1_000
                out += "yujing_agent_last_heartbeat_timestamp_seconds{agent=\"\(escape(status.name))\","
                out += "node=\"\(escape(status.node ?? ""))\"} \(seconds)\n"
            }
        }
        // A name is what an agent sent: only plain metric-name characters make a family.
        let names = Set(statuses.flatMap(\.metrics.keys)).filter(isMetricName).sorted()
        for name in names {
            let isGauge = gauges.contains(name)
            let family = "yujing_agent_\(name)" + (isGauge ? "" : "_total")
            Self.family(
                &out, family, type: isGauge ? "gauge" : "counter",
                help: "The agent's \(name) from its latest heartbeat")
            for status in statuses {
                guard let value = status.metrics[name] else { continue }
                out += "\(family){agent=\"\(escape(status.name))\"} \(value)\n"
            }
        }
        return out
    }

    static func family(_ out: inout String, _ name: String, type: String, help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// `[a-z_][a-z0-9_]*`, at most 64 characters.
    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, first == UInt8(ascii: "_") || (0x61...0x7A).contains(first)
        else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// Label value escaping of the text format: backslash, double quote, line feed.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
