import Foundation
import Logging
import Testing
import YujingStore

@testable import YujingServer

@Suite struct ConfigurationTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "yujing-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func embeddedDefaultsAndOverrides() throws {
        let defaults = ServerConfiguration()
        #expect(defaults.database == "./var/yujing.sqlite")
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8640 && defaults.rules == "./Alerts")
        #expect(defaults.retentionDays == 180)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("yujing.yaml")
        try "port: 9000\nretention_days: 30\n".write(to: file, atomically: true, encoding: .utf8)
        let loaded = try ServerConfiguration.load(path: file.path)
        #expect(loaded.port == 9000 && loaded.retentionDays == 30)
        #expect(loaded.host == "127.0.0.1" && loaded.database == defaults.database)
    }

    @Test func invalidConfigurationNamesFileLineAndReason() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.yaml")
        try "port: 9000\nhost: [unclosed\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ServerConfiguration.load(path: file.path)
            Issue.record("syntax error accepted")
        } catch {
            #expect(error.description.contains("bad.yaml:"), "\(error)")
            #expect(error.description.contains("YAML syntax"), "\(error)")
        }
        try "prot: 9000\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerError.self) { try ServerConfiguration.load(path: file.path) }
        do {
            _ = try ServerConfiguration.load(path: file.path)
        } catch {
            #expect(error.description.contains("unknown key 'prot'"), "\(error)")
        }
    }

    @Test func badRuleFilesKeepThePreviousRulesOnReload() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let rule = """
            - id: scanner.test
              title: Test scanner
              kind: match
              where: { user_agent: { contains: [sqlmap] } }
              group_by: [ip]
              level: III
            """
        try rule.write(to: rules.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        var configuration = ServerConfiguration()
        configuration.database = directory.appendingPathComponent("db.sqlite").path
        configuration.rules = rules.path
        let logger = Logger(label: "test")
        let daemon = try YujingDaemon(
            configuration: configuration, rules: try RuleDirectory.load(path: rules.path), logger: logger)
        let service = RuleReloadService(
            pipeline: daemon.pipeline, responder: daemon.responder, configuration: configuration,
            database: daemon.database, logger: logger)
        try "- id: broken\n  title: x\n  kind: nope\n".write(
            to: rules.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: ServerError.self) { try RuleDirectory.load(path: rules.path) }
        await service.reload()
        #expect(await daemon.pipeline.rules.rules.map(\.id) == ["scanner.test"])
        try rule.replacingOccurrences(of: "scanner.test", with: "scanner.second").write(
            to: rules.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        await service.reload()
        #expect(await daemon.pipeline.rules.rules.map(\.id) == ["scanner.test", "scanner.second"])
    }
}
