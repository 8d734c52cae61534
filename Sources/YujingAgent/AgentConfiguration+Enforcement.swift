import Foundation
import Yams

extension AgentConfiguration {
    static let enforcementKeys: Set<String> = ["poll_ms", "quarantine_dir", "restore_files", "nginx"]
    static let nginxKeys: Set<String> = [
        "http_include", "server_include", "test_command", "reload_command", "subject_variables", "withdrawn_status",
        "throttle_burst", "command_timeout_ms",
    ]

    /// Parses the `enforcement:` section; the quarantine folder must lie outside every dataset source.
    static func enforcement(_ node: Node, reader: ConfigReader, datasets: [DatasetSource]) throws(AgentError)
        -> EnforcementConfiguration
    {
        let map = try reader.mapping(node, "enforcement", allowed: enforcementKeys)
        guard let quarantineNode = map["quarantine_dir"] else {
            throw reader.fail(node, "enforcement: missing key 'quarantine_dir'")
        }
        let quarantine = try absolutePath(quarantineNode, "quarantine_dir", reader: reader)
        for source in datasets where source.overlaps(directory: quarantine) {
            throw reader.fail(
                quarantineNode,
                "enforcement: quarantine_dir \(quarantine) must lie outside the dataset source '\(source.pattern)'"
                    + " (quarantined files would be served or rescanned)")
        }
        var configuration = EnforcementConfiguration(quarantineDirectory: quarantine)
        if let poll = map["poll_ms"] {
            configuration.pollMillis = try reader.int(poll, "poll_ms", range: 10...3_600_000)
        }
        if let restoreNode = map["restore_files"] {
            guard let value = restoreNode.bool else {
                throw reader.fail(restoreNode, "enforcement: restore_files must be true or false")
            }
            configuration.restoreFiles = value
        }
        if let nginxNode = map["nginx"] {
            configuration.nginx = try nginx(nginxNode, reader: reader)
        }
        return configuration
    }

    static func nginx(_ node: Node, reader: ConfigReader) throws(AgentError) -> NginxEnforcement {
        let map = try reader.mapping(node, "nginx", allowed: nginxKeys)
        guard let httpNode = map["http_include"] else { throw reader.fail(node, "nginx: missing key 'http_include'") }
        guard let serverNode = map["server_include"] else {
            throw reader.fail(node, "nginx: missing key 'server_include'")
        }
        var settings = NginxEnforcement(
            httpInclude: try absolutePath(httpNode, "http_include", reader: reader),
            serverInclude: try absolutePath(serverNode, "server_include", reader: reader))
        guard settings.httpInclude != settings.serverInclude else {
            throw reader.fail(serverNode, "nginx: 'server_include' must differ from 'http_include'")
        }
        if let command = map["test_command"] {
            settings.testCommand = try argv(command, "test_command", reader: reader)
        }
        if let command = map["reload_command"] {
            settings.reloadCommand = try argv(command, "reload_command", reader: reader)
        }
        if let variablesNode = map["subject_variables"] {
            let variables = try reader.mapping(variablesNode, "subject_variables", allowed: ["app_key", "user", "ip"])
            for (kind, valueNode) in variables {
                let variable = try reader.string(valueNode, kind)
                guard NginxRenderer.isVariableName(variable) else {
                    throw reader.fail(
                        valueNode, "subject_variables: '\(kind)' must be an nginx variable like $arg_appKey")
                }
                settings.subjectVariables[kind] = variable
            }
        }
        if let status = map["withdrawn_status"] {
            settings.withdrawnStatus = try reader.int(status, "withdrawn_status", range: 403...410)
            guard [403, 404, 410].contains(settings.withdrawnStatus) else {
                throw reader.fail(status, "'withdrawn_status' must be 403, 404 or 410")
            }
        }
        if let burst = map["throttle_burst"] {
            settings.throttleBurst = try reader.int(burst, "throttle_burst", range: 0...100_000)
        }
        if let timeout = map["command_timeout_ms"] {
            settings.commandTimeoutMillis = try reader.int(timeout, "command_timeout_ms", range: 100...600_000)
        }
        return settings
    }

    /// An absolute path without `.`/`..` components, without a trailing slash.
    static func absolutePath(_ node: Node, _ key: String, reader: ConfigReader) throws(AgentError) -> String {
        var path = try reader.string(node, key)
        guard path.hasPrefix("/"), path.count > 1 else { throw reader.fail(node, "'\(key)' must be an absolute path") }
        let parts = path.split(separator: "/")
        guard !parts.contains(where: { $0 == "." || $0 == ".." }),
            !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
        else {
            throw reader.fail(node, "'\(key)' must not contain '.' or '..' components or control characters")
        }
        while path.hasSuffix("/") { path.removeLast() }
        return "/" + parts.joined(separator: "/")
    }

    /// A command as a non-empty list of arguments (run without a shell).
    static func argv(_ node: Node, _ key: String, reader: ConfigReader) throws(AgentError) -> [String] {
        guard case .sequence = node else { throw reader.fail(node, "'\(key)' must be a list of arguments") }
        return try reader.strings(node, key)
    }
}
