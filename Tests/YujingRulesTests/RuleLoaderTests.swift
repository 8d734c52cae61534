import Foundation
import Testing
import YujingCore
import YujingParsing
import YujingRules

@Suite struct RuleLoaderTests {
    @Test func shippedPackValidates() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.packDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count >= 5)
        let files = try names.map { name in
            (
                name: name,
                text: try String(contentsOf: Fixtures.packDirectory.appendingPathComponent(name), encoding: .utf8)
            )
        }
        let set = try RuleLoader.load(files: files)
        let ids = Set(set.rules.map(\.id))
        #expect(ids.count == set.rules.count)
        for required in [
            "leak.resident-id", "exfil.bulk-download", "exfil.low-and-slow", "abuse.app-key-sharing",
            "abuse.dataset-enumeration", "abuse.bruteforce", "scope.conditional-without-approval",
            "scope.restricted-subject", "agent.silent", "scanner.user-agent", "scanner.probe-paths",
        ] {
            #expect(ids.contains(required), "missing \(required)")
        }
        let kinds = Set(set.rules.map(\.kind))
        #expect(kinds == Set(RuleKind.allCases))
        let leak = try #require(set.rule(id: "leak.resident-id"))
        #expect(leak.tiers.map(\.level) == [.II, .I])
        #expect(leak.tiers.map(\.minimum) == [1, 100])
        // The whole pack compiles into an engine.
        let engine = CorrelationEngine(rules: set)
        #expect(engine.stateKeyCount == 0)
        for rule in set.rules {
            #expect(rule.source?.file.hasSuffix(".yaml") == true)
            #expect((rule.source?.line ?? 0) > 0)
        }
    }

    func error(_ yaml: String) -> RuleError? {
        do {
            _ = try RuleLoader.load(yaml: yaml, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownKeyNamesFileAndLine() throws {
        let yaml = """
            rules:
              - id: a
                title: A
                kind: threshold
                window: 1m
                threshold: 3
                level: III
                gruop_by: [ip]
            """
        let failure = try #require(error(yaml))
        #expect(failure.file == "bad.yaml")
        #expect(failure.line == 8)
        #expect(failure.reason.contains("gruop_by"))
        #expect(failure.description.hasPrefix("bad.yaml:8:"))
    }

    @Test func badValuesPointAtTheirLine() throws {
        let badKind = try #require(error("- id: a\n  title: A\n  kind: thresh\n  level: I\n"))
        #expect(badKind.line == 3)
        let badRegex = try #require(
            error("- id: a\n  title: A\n  kind: match\n  level: I\n  where:\n    path: { regex: \"([\" }\n"))
        #expect(badRegex.line == 6)
        #expect(badRegex.reason.contains("regex"))
        let badField = try #require(
            error("- id: a\n  title: A\n  kind: match\n  level: I\n  where:\n    colour: red\n"))
        #expect(badField.line == 6)
        let noWindow = try #require(error("- id: a\n  title: A\n  kind: threshold\n  threshold: 2\n  level: I\n"))
        #expect(noWindow.line == 1)
        #expect(noWindow.reason.contains("window"))
        let tiers = try #require(
            error("- id: a\n  title: A\n  kind: match\n  tiers:\n    - {at: 10, level: I}\n    - {at: 20, level: II}\n")
        )
        #expect(tiers.line == 6)
        let cidr = try #require(
            error("- id: a\n  title: A\n  kind: match\n  level: I\n  where:\n    ip: {cidr: 10.0.0.0/33}\n"))
        #expect(cidr.line == 6)
        let template = try #require(
            error("- id: a\n  title: A\n  kind: match\n  level: I\n  annotations:\n    summary: \"{{nope}}\"\n"))
        #expect(template.reason.contains("nope"))
    }

    @Test func yamlSyntaxErrorsCarryLine() throws {
        let failure = try #require(error("rules:\n  - id: a\n    title: [unclosed\n  - id: b\n"))
        #expect(failure.file == "bad.yaml")
        #expect(failure.line >= 3)
        #expect(failure.reason.contains("YAML"))
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let rule = "- id: same\n  title: A\n  kind: match\n  level: IV\n"
        #expect(throws: RuleError.self) {
            try RuleLoader.load(files: [(name: "one.yaml", text: rule), (name: "two.yaml", text: "\n\n" + rule)])
        }
        do {
            _ = try RuleLoader.load(files: [(name: "one.yaml", text: rule), (name: "two.yaml", text: "\n\n" + rule)])
        } catch {
            #expect(error.file == "two.yaml")
            #expect(error.line == 3)
        }
    }

    @Test func conditionsParse() throws {
        let yaml = """
            - id: c
              title: C
              kind: match
              level: IV
              enabled: false
              where:
                status: { gte: 400, lt: 500 }
                ip: { cidr: [10.0.0.0/8, "2001:db8::/32"] }
                user_agent: { contains: [SQLMap], ignore_case: true }
                dataset: { exists: true }
                method: [GET, HEAD]
            """
        let rules = try RuleLoader.load(yaml: yaml, file: "c.yaml")
        let rule = try #require(rules.first)
        #expect(rule.enabled == false)
        #expect(rule.filter.count == 6)
        #expect(rule.filter.contains(FieldCondition(field: .status, test: .compare(.gte, 400))))
        #expect(rule.filter.contains(FieldCondition(field: .userAgent, test: .contains(["SQLMap"]), ignoreCase: true)))
        #expect(rule.filter.contains(FieldCondition(field: .method, test: .equals(["GET", "HEAD"]))))
    }

    @Test func parseConfigurationAndCatalogueFromYAML() throws {
        let yaml = """
            format: json
            node: web-7
            time_format: epoch_ms
            fields:
              time: ts
              subjects:
                - { name: headers.x-app-key, kind: app_key }
            dataset_patterns:
              - { pattern: "/open/{dataset}/file", channel: download }
            """
        let configuration = try YAMLConfiguration.decode(ParseConfiguration.self, from: yaml, file: "parse.yaml")
        #expect(configuration.format == .json)
        #expect(configuration.node == "web-7")
        #expect(configuration.fields.time == "ts")
        #expect(configuration.fields.ip == "remote_addr")
        #expect(configuration.fields.subjects == [SubjectParameter(name: "headers.x-app-key", kind: .appKey)])
        #expect(configuration.datasetPatterns == [URLPattern("/open/{dataset}/file", channel: .download)])
        #expect(configuration.subjectParameters == ParseConfiguration.defaultSubjectParameters)

        let catalogue = try YAMLConfiguration.decode(
            StaticScopeCatalogue.self,
            from: """
                datasets: { d1: conditional, d2: unconditional }
                approvals:
                  - { subject: k1, dataset: d1, validFromMillis: 0, validToMillis: 1000 }
                restrictions:
                  - { subject: k9, fromMillis: 500 }
                """, file: "scope.yaml")
        #expect(catalogue.openCategory(ofDataset: "d1") == .conditional)
        #expect(catalogue.hasValidApproval(subject: Subject(kind: .appKey, id: "k1"), dataset: "d1", atMillis: 999))
        #expect(!catalogue.hasValidApproval(subject: Subject(kind: .appKey, id: "k1"), dataset: "d1", atMillis: 1000))
        #expect(catalogue.isRestricted(subject: Subject(kind: .user, id: "k9"), atMillis: 500))

        #expect(throws: RuleError.self) {
            try YAMLConfiguration.decode(ParseConfiguration.self, from: "format: xml", file: "parse.yaml")
        }
        do {
            _ = try YAMLConfiguration.decode(ParseConfiguration.self, from: "fields: [\n", file: "parse.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "parse.yaml")
            #expect(error.line >= 1)
        }
    }
}
