import Foundation
import Testing
import YujingAgent

@testable import YujingServer

/// Prometheus' `promtool`, from Debian's `prometheus` package.
enum Promtool {
    static let path = "/usr/bin/promtool"

    /// Fails the test when promtool is not installed (in CI a missing component is a failure).
    static func require() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "promtool is missing: run scripts/install-deps.sh --test (apt-get install prometheus)")
    }

    /// Runs promtool; returns its exit status and its output (stdout and stderr).
    static func run(_ arguments: [String], input: String? = nil, in directory: URL? = nil) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The shipped Prometheus alerting rules for agents (`Alerts/prometheus/`): valid, passing their own unit tests, and
/// naming only series the center exposes.
@Suite struct PrometheusRulesTests {
    static let folder = TestDaemon.repositoryRoot.appendingPathComponent("Alerts/prometheus")

    @Test func theShippedRulesAreValidAndPassTheirUnitTests() throws {
        try Promtool.require()
        let check = try Promtool.run(["check", "rules", "yujing-agents.rules.yml"], in: Self.folder)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 6 rules found"))
        let unit = try Promtool.run(["test", "rules", "yujing-agents.test.yml"], in: Self.folder)
        #expect(unit.status == 0, "\(unit.output)")
        #expect(unit.output.contains("SUCCESS"))
    }

    @Test func everySeriesTheRulesNameIsOneTheCenterExposes() throws {
        let rules = try String(
            contentsOf: Self.folder.appendingPathComponent("yujing-agents.rules.yml"), encoding: .utf8)
        let named = Set(rules.matches(of: /yujing_agent_[a-z0-9_]+/).map { String($0.output) })
        #expect(named.count >= 8)
        // An agent whose heartbeat carries every metric the agent has.
        let metrics = Dictionary(uniqueKeysWithValues: AgentMetrics.Name.allCases.map { ($0.rawValue, Int64(1)) })
        let agent = AgentStatus(
            name: "web-01", node: "n", lastHeartbeatMillis: 1, heartbeats: 1, metrics: metrics, health: .ok,
            enforcement: nil, hasToken: true)
        let exposed = Set(
            AgentMetricsExposition.render([agent]).split(separator: "\n").filter { !$0.hasPrefix("#") }
                .compactMap { $0.split(separator: "{").first.map(String.init) })
        #expect(named.subtracting(exposed).isEmpty, "named by the rules but not exposed: \(named.subtracting(exposed))")
    }
}
