import Foundation

/// Writes an agent configuration for a test.
enum AgentConfigFile {
    static func write(
        in directory: TestDirectory, center: TestCenter, token: String, name: String = "agent-test",
        logs: [(name: String, paths: [String], startAt: String)] = [], datasets: [String] = [],
        extra: String = ""
    ) throws -> String {
        try directory.write("token", token + "\n")
        var text = """
            name: \(name)
            center:
              url: \(center.url)
              token_file: \(directory.file("token"))
              timeout_ms: 5000
              connect_timeout_ms: 300
            key_file: \(directory.file("yujing.key"))
            checkpoint_dir: \(directory.file("state"))
            spool:
              dir: \(directory.file("spool"))
              max_bytes: 268435456
            batch:
              max_events: 1000
              max_wait_ms: 100
            retry:
              initial_ms: 50
              max_ms: 1000
            heartbeat_seconds: 1
            poll_ms: 50

            """
        if !logs.isEmpty {
            text += "access_logs:\n"
            for log in logs {
                text += "  - name: \(log.name)\n    start_at: \(log.startAt)\n    paths:\n"
                for path in log.paths { text += "      - \"\(path)\"\n" }
                text += "    parse:\n      format: nginx\n"
            }
        }
        if !datasets.isEmpty {
            text += "datasets:\n  poll_ms: 200\n  paths:\n"
            for pattern in datasets { text += "    - \"\(pattern)\"\n" }
        }
        text += extra
        return try directory.write("agent.yaml", text)
    }
}
