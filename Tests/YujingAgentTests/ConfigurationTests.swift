import Foundation
import Testing
import YujingParsing

@testable import YujingAgent

@Suite struct ConfigurationTests {
    /// Copies a shipped example next to a token file and loads it.
    func loadExample(_ name: String) throws -> AgentConfiguration {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let source = (TestDirectory.packageRoot as NSString).appendingPathComponent("Agents/\(name)")
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let path = try directory.write(name, text)
        try directory.write("agent.token", "yj_test_secret\n")
        return try AgentConfiguration.load(path: path)
    }

    @Test func theNginxExampleLoads() throws {
        let configuration = try loadExample("nginx-node.yaml")
        #expect(configuration.name == "web-01")
        #expect(configuration.token == "yj_test_secret")
        #expect(configuration.accessLogs.first?.parse.format == .combined)
        #expect(configuration.accessLogs.first?.startAt == .end)
        #expect(configuration.accessLogs.first?.parse.datasetPatterns.count == 3)
        #expect(configuration.spoolMaxBytes == 1_073_741_824)
        #expect(configuration.batchMaxInFlight == 2)
    }

    @Test func theGatewayExampleLoads() throws {
        let configuration = try loadExample("api-gateway-node.yaml")
        let parse = try #require(configuration.accessLogs.first?.parse)
        #expect(parse.format == .json)
        #expect(parse.fields.time == "@timestamp")
        #expect(parse.fields.dataset == "dataset_id")
        #expect(parse.node == "gateway-01")
        #expect(configuration.batchMaxEvents == 2_000)
    }

    @Test func theReleaseExampleLoads() throws {
        let configuration = try loadExample("dataset-release-node.yaml")
        #expect(configuration.datasets.count == 2)
        #expect(configuration.datasets[0].datasetID(for: "/srv/opendata/releases/ds-42/people.csv") == "ds-42")
        #expect(configuration.datasets[1].datasetID(for: "/srv/opendata/archive/ds-7/2026/a.csv") == "ds-7")
        #expect(configuration.datasets[0].datasetID(for: "/elsewhere/a.csv") == nil)
    }

    func error(_ text: String) -> AgentError? {
        do {
            _ = try AgentConfiguration.parse(text, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    let valid = """
        name: a
        center:
          url: http://127.0.0.1:8640
          token: yj_a_b
        key_file: k
        checkpoint_dir: s
        spool:
          dir: sp
        """

    @Test func batchesInFlightDefaultToTwoAndAreBounded() throws {
        let datasets = "\ndatasets:\n  paths: [\"/srv/{dataset}/*\"]\n"
        #expect(try AgentConfiguration.parse(valid + datasets, file: "a.yaml").batchMaxInFlight == 2)
        let four = try AgentConfiguration.parse(valid + datasets + "batch:\n  max_in_flight: 4\n", file: "a.yaml")
        #expect(four.batchMaxInFlight == 4)
        for bad in ["0", "17", "two"] {
            guard case .configuration(_, let line, let reason) = error(valid + datasets + "batch:\n  max_in_flight: \(bad)\n")
            else {
                Issue.record("max_in_flight: \(bad) must be refused")
                continue
            }
            #expect(line == 12)
            #expect(reason.contains("max_in_flight"))
        }
    }

    @Test func invalidConfigurationsNameFileLineAndReason() throws {
        #expect(error(valid + "\ndatasets:\n  paths: [\"/srv/{dataset}/*\"]\n") == nil)
        let unknown = error(valid + "\nbatch:\n  max_event: 5\n")
        #expect(unknown == .configuration(file: "bad.yaml", line: 10, reason: "batch: unknown key 'max_event' (expected one of max_events, max_in_flight, max_wait_ms)"))
        #expect("\(try #require(unknown))".hasPrefix("bad.yaml:10: "))
        guard case .configuration(_, let line, let reason) = error(valid + "\nheartbeat_seconds: soon\n") else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(line == 9)
        #expect(reason.contains("heartbeat_seconds"))
        guard case .configuration(_, let line, _) = error(valid.replacingOccurrences(of: "http://", with: "ftp://") + "\ndatasets:\n  paths: [\"/a/{dataset}/*\"]\n") else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(line == 3)
        guard case .configuration(_, let line, let reason) = error(valid + "\naccess_logs:\n  - name: x\n    paths: [/a]\n    parse:\n      format: xml\n") else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(line == 13)
        #expect(reason.contains("format"))
        guard case .configuration(_, let line, let reason) = error(valid + "\n  bad: [\n") else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(line > 0)
        #expect(reason.contains("YAML"))
        guard case .configuration(_, _, let reason) = error(valid) else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(reason.contains("at least one"))
    }
}
