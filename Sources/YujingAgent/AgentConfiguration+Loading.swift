import Foundation
import Yams
import YujingParsing

extension AgentConfiguration {
    static let topKeys: Set<String> = [
        "name", "node", "center", "key_file", "checkpoint_dir", "spool", "batch", "retry", "heartbeat_seconds",
        "max_line_bytes", "poll_ms", "min_confidence", "access_logs", "datasets", "enforcement",
    ]

    /// Loads a configuration file.
    /// - Parameter path: The YAML file.
    /// - Returns: The configuration.
    /// - Throws: ``AgentError/configuration(file:line:reason:)`` naming the file, line and reason.
    public static func load(path: String) throws(AgentError) -> AgentConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(file: path, line: 0, reason: "cannot read the file")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(String(decoding: data, as: UTF8.self), file: path, baseDirectory: base)
    }

    /// Parses configuration text.
    /// - Parameters:
    ///   - text: YAML text.
    ///   - file: File name for errors.
    ///   - baseDirectory: Directory against which a relative `token_file` is resolved.
    /// - Returns: The configuration.
    /// - Throws: ``AgentError/configuration(file:line:reason:)``.
    public static func parse(_ text: String, file: String, baseDirectory: String = ".") throws(AgentError)
        -> AgentConfiguration
    {
        let reader = ConfigReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw AgentError.configuration(file: file, line: 0, reason: "empty document")
            }
            root = node
        } catch let error as AgentError {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw .configuration(file: file, line: 0, reason: "YAML: \(error)")
        }
        let top = try reader.mapping(root, "configuration", allowed: topKeys)
        func required(_ key: String, in map: [String: Node], of parent: Node, _ what: String) throws(AgentError)
            -> Node
        {
            guard let node = map[key] else { throw reader.fail(parent, "\(what): missing key '\(key)'") }
            return node
        }
        let name = try reader.string(try required("name", in: top, of: root, "configuration"), "name")
        let centerNode = try required("center", in: top, of: root, "configuration")
        let center = try reader.mapping(
            centerNode, "center", allowed: ["url", "token", "token_file", "ca_file", "timeout_ms", "connect_timeout_ms"])
        let url = try reader.string(try required("url", in: center, of: centerNode, "center"), "url")
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
            parsed.host != nil
        else {
            throw reader.fail(center["url"], "'url' must be an http or https URL")
        }
        let token: String
        switch (center["token"], center["token_file"]) {
        case (let node?, nil):
            token = try reader.string(node, "token")
        case (nil, let node?):
            var tokenPath = try reader.string(node, "token_file")
            if !tokenPath.hasPrefix("/") { tokenPath = (baseDirectory as NSString).appendingPathComponent(tokenPath) }
            guard let data = FileManager.default.contents(atPath: tokenPath) else {
                throw reader.fail(node, "cannot read token_file \(tokenPath)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw reader.fail(node, "token_file \(tokenPath) is empty") }
        case (.some(let node), .some):
            throw reader.fail(node, "center: give 'token' or 'token_file', not both")
        case (nil, nil):
            throw reader.fail(centerNode, "center: missing key 'token' or 'token_file'")
        }
        guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw reader.fail(center["token"] ?? center["token_file"], "the token must be one printable ASCII word")
        }
        let keyFile = try reader.string(try required("key_file", in: top, of: root, "configuration"), "key_file")
        let checkpointDirectory = try reader.string(
            try required("checkpoint_dir", in: top, of: root, "configuration"), "checkpoint_dir")
        let spoolNode = try required("spool", in: top, of: root, "configuration")
        let spool = try reader.mapping(spoolNode, "spool", allowed: ["dir", "max_bytes"])
        let spoolDirectory = try reader.string(try required("dir", in: spool, of: spoolNode, "spool"), "dir")

        var configuration = AgentConfiguration(
            name: name, centerURL: url, token: token, keyFile: keyFile, checkpointDirectory: checkpointDirectory,
            spoolDirectory: spoolDirectory)
        if let node = top["node"] { configuration.node = try reader.string(node, "node") }
        if let node = center["ca_file"] {
            guard scheme == "https" else { throw reader.fail(node, "'ca_file' needs an https url") }
            let ca = try reader.string(node, "ca_file")
            guard FileManager.default.isReadableFile(atPath: ca) else {
                throw reader.fail(node, "cannot read ca_file \(ca)")
            }
            configuration.caFile = ca
        }
        if let node = center["timeout_ms"] {
            configuration.requestTimeoutMillis = try reader.int(node, "timeout_ms", range: 100...600_000)
        }
        if let node = center["connect_timeout_ms"] {
            configuration.connectTimeoutMillis = try reader.int(node, "connect_timeout_ms", range: 50...600_000)
        }
        if let node = spool["max_bytes"] {
            configuration.spoolMaxBytes = Int64(try reader.int(node, "max_bytes", range: 65_536...Int.max))
        }
        if let batchNode = top["batch"] {
            let batch = try reader.mapping(batchNode, "batch", allowed: ["max_events", "max_wait_ms", "max_in_flight"])
            if let node = batch["max_events"] {
                configuration.batchMaxEvents = try reader.int(node, "max_events", range: 1...50_000)
            }
            if let node = batch["max_wait_ms"] {
                configuration.batchMaxWaitMillis = try reader.int(node, "max_wait_ms", range: 1...60_000)
            }
            if let node = batch["max_in_flight"] {
                configuration.batchMaxInFlight = try reader.int(node, "max_in_flight", range: 1...16)
            }
        }
        if let retryNode = top["retry"] {
            let retry = try reader.mapping(retryNode, "retry", allowed: ["initial_ms", "max_ms"])
            if let node = retry["initial_ms"] {
                configuration.retryInitialMillis = try reader.int(node, "initial_ms", range: 1...60_000)
            }
            if let node = retry["max_ms"] {
                configuration.retryMaxMillis = try reader.int(node, "max_ms", range: 1...3_600_000)
            }
        }
        if let node = top["heartbeat_seconds"] {
            configuration.heartbeatSeconds = try reader.int(node, "heartbeat_seconds", range: 1...86_400)
        }
        if let node = top["max_line_bytes"] {
            configuration.maxLineBytes = try reader.int(node, "max_line_bytes", range: 256...16_777_216)
        }
        if let node = top["poll_ms"] {
            configuration.pollMillis = try reader.int(node, "poll_ms", range: 1...60_000)
        }
        if let node = top["min_confidence"] {
            configuration.minConfidence = try reader.double(node, "min_confidence", range: 0...1)
        }
        if let logsNode = top["access_logs"] {
            var names: Set<String> = []
            for item in try reader.sequence(logsNode, "access_logs") {
                let source = try accessLogSource(item, reader: reader, node: configuration.node)
                guard names.insert(source.name).inserted else {
                    throw reader.fail(item, "access_logs: duplicate name '\(source.name)'")
                }
                configuration.accessLogs.append(source)
            }
        }
        if let datasetsNode = top["datasets"] {
            let datasets = try reader.mapping(datasetsNode, "datasets", allowed: ["paths", "poll_ms"])
            guard let pathsNode = datasets["paths"] else { throw reader.fail(datasetsNode, "datasets: missing key 'paths'") }
            for pattern in try reader.strings(pathsNode, "paths") {
                let source = DatasetSource(pattern: pattern)
                guard pattern.hasPrefix("/") || pattern.hasPrefix("."),
                    pattern.components(separatedBy: "{dataset}").count == 2,
                    source.datasetID(for: pattern.replacingOccurrences(of: "{dataset}", with: "x")) != nil
                else {
                    throw reader.fail(pathsNode, "datasets: '\(pattern)' must be a path with one {dataset} component")
                }
                configuration.datasets.append(source)
            }
            if let node = datasets["poll_ms"] {
                configuration.datasetPollMillis = try reader.int(node, "poll_ms", range: 10...3_600_000)
            }
        }
        if let node = top["enforcement"] {
            configuration.enforcement = try enforcement(node, reader: reader, datasets: configuration.datasets)
        }
        guard !configuration.accessLogs.isEmpty || !configuration.datasets.isEmpty
            || configuration.enforcement != nil
        else {
            throw reader.fail(root, "configuration: give at least one of 'access_logs', 'datasets' or 'enforcement'")
        }
        return configuration
    }

    static func accessLogSource(_ item: Node, reader: ConfigReader, node: String) throws(AgentError)
        -> AccessLogSource
    {
        let map = try reader.mapping(item, "access_logs entry", allowed: ["name", "paths", "start_at", "parse"])
        guard let nameNode = map["name"] else { throw reader.fail(item, "access_logs entry: missing key 'name'") }
        guard let pathsNode = map["paths"] else { throw reader.fail(item, "access_logs entry: missing key 'paths'") }
        var source = AccessLogSource(
            name: try reader.string(nameNode, "name"), paths: try reader.strings(pathsNode, "paths"))
        if let startNode = map["start_at"] {
            guard let start = AccessLogSource.StartPosition(rawValue: try reader.string(startNode, "start_at")) else {
                throw reader.fail(startNode, "'start_at' must be beginning or end")
            }
            source.startAt = start
        }
        var parse = ParseConfiguration()
        parse.node = node
        if let parseNode = map["parse"] {
            let entries = try reader.mapping(parseNode, "parse", allowed: parseKeys)
            var format = LogFormat.combined
            var rest: [(Node, Node)] = []
            if case .mapping(let mapping) = parseNode {
                rest = mapping.filter { $0.key.string != "format" }.map { ($0.key, $0.value) }
            }
            if let formatNode = entries["format"] {
                guard let named = LogFormat.named(try reader.string(formatNode, "format")) else {
                    throw reader.fail(formatNode, "'format' must be nginx, apache, combined or json")
                }
                format = named
            }
            do {
                parse = try YAMLDecoder().decode(ParseConfiguration.self, from: .mapping(Node.Mapping(rest)))
                parse.format = format
                if parse.node.isEmpty { parse.node = node }
            } catch let error as DecodingError {
                throw reader.fail(parseNode, "parse: \(describe(error))")
            } catch {
                throw reader.fail(parseNode, "parse: \(error)")
            }
        }
        source.parse = parse
        return source
    }

    static let parseKeys: Set<String> = [
        "format", "node", "fields", "time_format", "default_utc_offset_minutes", "dataset_patterns",
        "channel_patterns", "subject_parameters", "remote_user_is_subject", "keep_query",
    ]

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "invalid value at '\(path(context))': \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at '\(path(context))'"
        @unknown default:
            return "invalid document"
        }
    }

    static func syntaxError(_ error: YamlError, file: String) -> AgentError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .configuration(file: file, line: mark.line, reason: "YAML syntax: \(problem)")
        default:
            return .configuration(file: file, line: 0, reason: "YAML: \(error)")
        }
    }
}
