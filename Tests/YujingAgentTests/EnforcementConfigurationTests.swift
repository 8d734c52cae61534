import Foundation
import Testing
import YujingDetectors

@testable import YujingAgent

@Suite struct EnforcementConfigurationTests {
    let base = """
        name: web-01
        center:
          url: http://127.0.0.1:8640
          token: yj_a_b
        key_file: k
        checkpoint_dir: s
        spool:
          dir: sp
        datasets:
          paths: ["/srv/opendata/releases/{dataset}/*", "/srv/opendata/archive/{dataset}/*/*"]

        """

    func parse(_ text: String) throws(AgentError) -> AgentConfiguration {
        try AgentConfiguration.parse(text, file: "agent.yaml")
    }

    func failure(_ text: String) -> (line: Int, reason: String)? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            guard case .configuration(_, let line, let reason) = error else { return nil }
            return (line, reason)
        }
    }

    @Test func theFullSectionLoads() throws {
        let configuration = try parse(
            base + """
                enforcement:
                  poll_ms: 500
                  quarantine_dir: /var/lib/yujing-agent/quarantine/
                  nginx:
                    http_include: /etc/nginx/yujing/http.conf
                    server_include: /etc/nginx/yujing/server.conf
                    test_command: ["/usr/sbin/nginx", "-t", "-q"]
                    reload_command: ["/usr/sbin/nginx", "-s", "reload"]
                    subject_variables: { app_key: "$arg_appKey", user: "$http_x_user_id" }
                    withdrawn_status: 410
                    throttle_burst: 3
                    command_timeout_ms: 5000
                """)
        let enforcement = try #require(configuration.enforcement)
        #expect(enforcement.pollMillis == 500)
        #expect(enforcement.quarantineDirectory == "/var/lib/yujing-agent/quarantine")
        let nginx = try #require(enforcement.nginx)
        #expect(nginx.httpInclude == "/etc/nginx/yujing/http.conf")
        #expect(nginx.serverInclude == "/etc/nginx/yujing/server.conf")
        #expect(nginx.testCommand == ["/usr/sbin/nginx", "-t", "-q"])
        #expect(nginx.reloadCommand == ["/usr/sbin/nginx", "-s", "reload"])
        #expect(nginx.subjectVariables == ["app_key": "$arg_appKey", "user": "$http_x_user_id", "ip": "$remote_addr"])
        #expect(nginx.withdrawnStatus == 410)
        #expect(nginx.throttleBurst == 3)
        #expect(nginx.commandTimeoutMillis == 5_000)
    }

    @Test func defaultsAndEnforcementOnlyNodes() throws {
        let text = """
            name: web-01
            center:
              url: http://127.0.0.1:8640
              token: yj_a_b
            key_file: k
            checkpoint_dir: s
            spool:
              dir: sp
            enforcement:
              quarantine_dir: /q
              nginx:
                http_include: /etc/nginx/yujing/http.conf
                server_include: /etc/nginx/yujing/server.conf
            """
        let configuration = try parse(text)
        let enforcement = try #require(configuration.enforcement)
        #expect(enforcement.pollMillis == 1_000)
        #expect(enforcement.nginx?.testCommand == ["nginx", "-t", "-q"])
        #expect(enforcement.nginx?.reloadCommand == ["nginx", "-s", "reload"])
        #expect(enforcement.nginx?.withdrawnStatus == 404)
        #expect(try parse(base + "enforcement:\n  quarantine_dir: /var/q\n").enforcement?.nginx == nil)
    }

    @Test func invalidSectionsNameTheLineAndReason() throws {
        let quarantineInside = try #require(
            failure(base + "enforcement:\n  quarantine_dir: /srv/opendata/releases/quarantine\n"))
        #expect(quarantineInside.line == 12)
        #expect(quarantineInside.reason.contains("outside the dataset source '/srv/opendata/releases/{dataset}/*'"))
        // Inside a folder the second pattern matches at depth: /srv/opendata/archive/<ds>/<x>/<file>.
        #expect(failure(base + "enforcement:\n  quarantine_dir: /srv/opendata/archive/q\n") != nil)
        // Containing a source's root.
        #expect(failure(base + "enforcement:\n  quarantine_dir: /srv\n") != nil)
        #expect(failure(base + "enforcement:\n  quarantine_dir: /srv/opendata/quarantine\n") == nil)

        let relative = try #require(failure(base + "enforcement:\n  quarantine_dir: quarantine\n"))
        #expect(relative == (12, "'quarantine_dir' must be an absolute path"))
        #expect(failure(base + "enforcement:\n  quarantine_dir: /var/../srv\n")?.reason.contains("'..'") == true)
        #expect(
            failure(base + "enforcement:\n  poll_ms: 1000\n")?.reason == "enforcement: missing key 'quarantine_dir'")
        #expect(failure(base + "enforcement:\n  quarantine_dir: /q\n  poll_ms: 0\n")?.line == 13)
        let unknown = try #require(failure(base + "enforcement:\n  quarantine_dir: /q\n  nginx_conf: /x\n"))
        #expect(unknown.line == 13)
        #expect(unknown.reason.contains("unknown key 'nginx_conf'"))

        let nginx =
            base
            + "enforcement:\n  quarantine_dir: /q\n  nginx:\n    http_include: /h.conf\n    server_include: /s.conf\n"
        #expect(failure(nginx) == nil)
        let status = try #require(failure(nginx + "    withdrawn_status: 405\n"))
        #expect(status == (16, "'withdrawn_status' must be 403, 404 or 410"))
        let variable = try #require(failure(nginx + "    subject_variables: { app_key: \"arg_appKey\" }\n"))
        #expect(variable.line == 16)
        #expect(variable.reason.contains("nginx variable"))
        #expect(
            failure(nginx + "    subject_variables: { device: \"$arg_d\" }\n")?.reason.contains("unknown key 'device'")
                == true)
        #expect(failure(nginx + "    test_command: nginx -t\n")?.reason == "'test_command' must be a list of arguments")
        #expect(failure(nginx + "    reload_command: []\n")?.reason == "'reload_command' must not be empty")
        #expect(
            failure(base + "enforcement:\n  quarantine_dir: /q\n  nginx:\n    http_include: /h.conf\n")?.reason
                == "nginx: missing key 'server_include'")
        #expect(
            failure(
                base
                    + "enforcement:\n  quarantine_dir: /q\n  nginx:\n    http_include: /h.conf\n    server_include: /h.conf\n"
            )?.reason
                == "nginx: 'server_include' must differ from 'http_include'")
    }

    @Test func theShippedExamplesWithEnforcementLoad() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try directory.write("agent.token", "yj_test_secret\n")
        for name in ["nginx-node.yaml", "dataset-release-node.yaml"] {
            let source = (TestDirectory.packageRoot as NSString).appendingPathComponent("Agents/\(name)")
            let path = try directory.write(name, try String(contentsOfFile: source, encoding: .utf8))
            let configuration = try AgentConfiguration.load(path: path)
            #expect(configuration.enforcement?.quarantineDirectory == "/var/lib/yujing-agent/quarantine")
        }
        let web = try AgentConfiguration.load(path: directory.file("nginx-node.yaml"))
        #expect(web.enforcement?.nginx?.subjectVariables["app_key"] == "$arg_appKey")
    }

    @Test func theServicesIncludeEnforcementWhenConfigured() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var configuration = AgentConfiguration(
            name: "a", centerURL: "http://127.0.0.1:1", token: "t", keyFile: directory.file("k"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.datasets = [DatasetSource(pattern: directory.file("www/{dataset}/*"))]
        let key = [UInt8](repeating: 1, count: 32)
        let day = CalendarDay(year: 2026, month: 12, day: 1)
        let without = try AgentServices.make(
            configuration: configuration, key: key, today: day, metrics: AgentMetrics(), logger: .init(label: "t"))
        #expect(!without.contains { $0 is EnforcementService })
        configuration.enforcement = EnforcementConfiguration(quarantineDirectory: directory.file("q"))
        let with = try AgentServices.make(
            configuration: configuration, key: key, today: day, metrics: AgentMetrics(), logger: .init(label: "t"))
        #expect(with.contains { $0 is EnforcementService })
    }
}
