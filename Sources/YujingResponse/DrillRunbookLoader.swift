import Foundation
import Yams
import YujingCore
import YujingRules

/// Loads and validates the `drill:` section of runbook files, with file, line and reason in every error.
public enum DrillRunbookLoader {
    static let drillKeys: Set<String> = [
        "id", "title", "description", "plan", "roles", "datasets", "injections", "expectations", "steps", "abort_after",
    ]
    static let injectionKeys: Set<String> = [
        "kind", "dataset", "subject", "address", "count", "datasets", "addresses", "identifiers", "agent", "silence",
        "at", "spacing", "over",
    ]
    static let expectationKeys: Set<String> = [
        "id", "within", "warning", "withdrawn", "restricted", "traceback", "notice", "measure",
    ]
    static let identifierKinds: Set<String> = ["cn_resident_id", "cn_mobile", "bank_card"]

    /// Loads one runbook file.
    /// - Parameter path: File.
    /// - Returns: The drill.
    /// - Throws: ``RuleError``; a file without `drill:` is an error here.
    public static func load(path: String) throws(RuleError) -> DrillRunbook {
        guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RuleError(file: path, line: 0, column: 0, reason: "cannot read (missing, or not UTF-8)")
        }
        guard let drill = try parse(source, file: path) else {
            throw RuleError(file: path, line: 0, column: 0, reason: "no 'drill:' section")
        }
        return drill
    }

    /// Every drill in a folder (files without `drill:` are skipped).
    /// - Parameter directory: Folder.
    /// - Returns: Drills by file name order.
    /// - Throws: ``RuleError``.
    public static func loadAll(directory: String) throws(RuleError) -> [DrillRunbook] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var drills: [DrillRunbook] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let source = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            if let drill = try parse(source, file: path) { drills.append(drill) }
        }
        return drills
    }

    static func fail(_ file: String, _ node: Node?, _ reason: String) -> RuleError {
        RuleError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, reason: reason)
    }

    static func keys(_ node: Node, _ allowed: Set<String>, _ what: String, file: String) throws(RuleError) {
        guard case .mapping(let mapping) = node else { throw fail(file, node, "\(what) must be a mapping") }
        for key in mapping.keys where !allowed.contains(key.string ?? "") {
            throw fail(file, key, "unknown key '\(key.string ?? "?")' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func text(_ node: Node, _ key: String, file: String, required: Bool = false) throws(RuleError) -> String? {
        guard let value = node[key] else {
            if required { throw fail(file, node, "missing '\(key)'") }
            return nil
        }
        guard let string = value.string, !string.isEmpty else { throw fail(file, value, "'\(key)' must be text") }
        return string
    }

    static func int(_ node: Node, _ key: String, file: String, range: ClosedRange<Int>) throws(RuleError) -> Int? {
        guard let value = node[key] else { return nil }
        guard let number = value.int, range.contains(number) else {
            throw fail(file, value, "'\(key)' must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    static func duration(_ node: Node, _ key: String, file: String) throws(RuleError) -> Int64? {
        guard let value = node[key] else { return nil }
        guard let text = value.string, let millis = DurationText.milliseconds(text) else {
            throw fail(file, value, "'\(key)' must be a duration like 500ms, 30s, 2m")
        }
        return millis
    }

    /// Parses a file's text.
    /// - Returns: The drill, or nil when there is no `drill:`.
    public static func parse(_ source: String, file: String) throws(RuleError) -> DrillRunbook? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch {
            throw RuleError(file: file, line: 0, column: 0, reason: "YAML syntax: \(error)")
        }
        guard let root, case .mapping = root, let node = root["drill"] else { return nil }
        try keys(node, drillKeys, "drill", file: file)
        let id = try self.text(node, "id", file: file, required: true) ?? ""
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
        guard id.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw fail(file, node["id"], "id must match [a-z0-9-]+")
        }
        var roles: [DrillRunbook.Role] = []
        if let rolesNode = node["roles"] {
            guard case .mapping(let pairs) = rolesNode else { throw fail(file, rolesNode, "roles must map a role to who holds it") }
            for (key, value) in pairs {
                guard let name = key.string, let holder = value.string else { throw fail(file, key, "roles must map text to text") }
                roles.append(.init(name: name, holder: holder))
            }
        }
        var datasets: [DrillDataset] = []
        if let list = node["datasets"] {
            guard case .sequence(let items) = list else { throw fail(file, list, "datasets must be a list") }
            for item in items {
                try keys(item, ["id", "title", "owner_agency", "open_category"], "a drill dataset", file: file)
                let datasetID = try text(item, "id", file: file, required: true) ?? ""
                guard datasetID.hasPrefix("drill-") else {
                    throw fail(file, item["id"], "drill dataset ids start with 'drill-' (never a real dataset)")
                }
                let categoryText = try text(item, "open_category", file: file) ?? "unconditional"
                guard let category = OpenCategory(rawValue: categoryText) else {
                    throw fail(file, item["open_category"], "open_category must be unconditional or conditional")
                }
                datasets.append(
                    DrillDataset(
                        id: datasetID, title: try text(item, "title", file: file) ?? datasetID,
                        ownerAgency: try text(item, "owner_agency", file: file) ?? "drill", openCategory: category))
            }
        }
        let injections = try list(node, "injections", file: file) { (item) throws(RuleError) in try injection(item, file: file) }
        guard !injections.isEmpty else { throw fail(file, node, "a drill needs at least one injection") }
        let expectations = try list(node, "expectations", file: file) { (item) throws(RuleError) in
            try expectation(item, file: file)
        }
        guard !expectations.isEmpty else { throw fail(file, node, "a drill needs at least one expectation") }
        var seen: Set<String> = []
        for (index, expectation) in expectations.enumerated() where !seen.insert(expectation.id).inserted {
            throw fail(file, node["expectations"], "expectations[\(index)]: duplicate id '\(expectation.id)'")
        }
        let steps = try list(node, "steps", file: file) { (item) throws(RuleError) in
            try keys(item, ["id", "role", "text"], "a step", file: file)
            return DrillRunbook.Step(
                id: try text(item, "id", file: file, required: true) ?? "", role: try text(item, "role", file: file) ?? "",
                text: try text(item, "text", file: file, required: true) ?? "")
        }
        let abort = try duration(node, "abort_after", file: file) ?? 300_000
        let longest = expectations.map(\.withinMillis).max() ?? 0
        guard abort >= longest else {
            throw fail(file, node["abort_after"], "abort_after is shorter than an expectation's 'within'")
        }
        return DrillRunbook(
            id: id, title: try text(node, "title", file: file, required: true) ?? id,
            description: try text(node, "description", file: file) ?? "", plan: try text(node, "plan", file: file),
            roles: roles, datasets: datasets, injections: injections, expectations: expectations, steps: steps,
            abortAfterMillis: abort, source: "\(file):\(node.mark?.line ?? 0)")
    }

    static func list<T>(_ node: Node, _ key: String, file: String, _ body: (Node) throws(RuleError) -> T)
        throws(RuleError) -> [T]
    {
        guard let value = node[key] else { return [] }
        guard case .sequence(let items) = value else { throw fail(file, value, "\(key) must be a list") }
        var out: [T] = []
        for item in items { out.append(try body(item)) }
        return out
    }

    static func injection(_ node: Node, file: String) throws(RuleError) -> DrillInjection {
        try keys(node, injectionKeys, "an injection", file: file)
        let kindText = try text(node, "kind", file: file, required: true) ?? ""
        guard let kind = DrillInjection.Kind(rawValue: kindText) else {
            throw fail(file, node["kind"], "unknown injection kind '\(kindText)' (one of \(DrillInjection.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var injection = DrillInjection(kind: kind)
        injection.dataset = try text(node, "dataset", file: file)
        injection.subject = try text(node, "subject", file: file)
        injection.address = try text(node, "address", file: file) ?? injection.address
        injection.count = try int(node, "count", file: file, range: 1...100_000) ?? injection.count
        injection.datasets = try int(node, "datasets", file: file, range: 1...10_000) ?? 1
        injection.addresses = try int(node, "addresses", file: file, range: 1...10_000) ?? 1
        injection.agent = try text(node, "agent", file: file) ?? injection.agent
        injection.silenceMillis = try duration(node, "silence", file: file) ?? 0
        injection.atMillis = try duration(node, "at", file: file) ?? 0
        injection.spacingMillis = try duration(node, "spacing", file: file) ?? injection.spacingMillis
        injection.overMillis = try duration(node, "over", file: file) ?? 0
        if let identifiers = node["identifiers"] {
            guard case .mapping(let pairs) = identifiers else { throw fail(file, identifiers, "identifiers must map kind to count") }
            for (key, value) in pairs {
                guard let name = key.string, identifierKinds.contains(name), let count = value.int, count > 0, count <= 100_000
                else {
                    throw fail(file, key, "identifiers: kinds are \(identifierKinds.sorted().joined(separator: ", ")), counts 1...100000")
                }
                injection.identifiers[name] = count
            }
        }
        switch kind {
        case .datasetRelease:
            guard injection.dataset != nil, !injection.identifiers.isEmpty else {
                throw fail(file, node, "dataset_release needs 'dataset' and 'identifiers'")
            }
        case .downloads, .conditionalAccess:
            guard injection.subject != nil, injection.dataset != nil || injection.datasets > 1 else {
                throw fail(file, node, "\(kind.rawValue) needs 'subject' and 'dataset' (or 'datasets' > 1)")
            }
        case .keySharing:
            guard injection.subject != nil, injection.addresses > 1 else {
                throw fail(file, node, "key_sharing needs 'subject' and 'addresses' > 1")
            }
        case .bruteForce: break
        case .heartbeatGap:
            guard injection.silenceMillis > 0 else { throw fail(file, node, "heartbeat_gap needs 'silence'") }
        }
        return injection
    }

    static func expectation(_ node: Node, file: String) throws(RuleError) -> DrillExpectation {
        try keys(node, expectationKeys, "an expectation", file: file)
        let id = try text(node, "id", file: file, required: true) ?? ""
        guard let within = try duration(node, "within", file: file), within > 0 else {
            throw fail(file, node, "expectation '\(id)' needs 'within' (the objective)")
        }
        let present = ["warning", "withdrawn", "restricted", "traceback", "notice"].filter { node[$0] != nil }
        guard present.count == 1, let what = present.first, let body = node[what] else {
            throw fail(file, node, "expectation '\(id)' needs exactly one of warning, withdrawn, restricted, traceback, notice")
        }
        let check: DrillExpectation.Check
        var measure = "MTTR"
        switch what {
        case "warning":
            try keys(body, ["rule", "min_level", "dataset"], "warning", file: file)
            let levelText = try text(body, "min_level", file: file) ?? "IV"
            guard let level = WarningLevel.parse(levelText) else { throw fail(file, body["min_level"], "unknown level") }
            check = .warning(
                rule: try text(body, "rule", file: file, required: true) ?? "", minLevel: level,
                dataset: try text(body, "dataset", file: file))
            measure = "MTTD"
        case "withdrawn":
            guard let dataset = body.string else { throw fail(file, body, "withdrawn: the dataset id") }
            check = .withdrawn(dataset: dataset)
        case "restricted":
            try keys(body, ["subject", "measure"], "restricted", file: file)
            let measureText = try text(body, "measure", file: file) ?? "warn"
            guard let restriction = RestrictionMeasure(rawValue: measureText) else {
                throw fail(file, body["measure"], "measure must be warn, throttle, suspend or close")
            }
            check = .restricted(subject: try text(body, "subject", file: file, required: true) ?? "", measure: restriction)
        case "traceback":
            try keys(body, ["dataset", "contains"], "traceback", file: file)
            guard case .sequence(let subjects)? = body["contains"], !subjects.isEmpty else {
                throw fail(file, body, "traceback needs 'contains': a list of subjects")
            }
            check = .tracebackContains(
                dataset: try text(body, "dataset", file: file, required: true) ?? "", subjects: subjects.compactMap(\.string))
        default:
            guard let subject = body.string else { throw fail(file, body, "notice: the subject") }
            check = .noticePublished(subject: subject)
        }
        if let override = try text(node, "measure", file: file) {
            guard ["MTTD", "MTTR", "TTW"].contains(override) else { throw fail(file, node["measure"], "measure: MTTD, TTW or MTTR") }
            measure = override
        }
        return DrillExpectation(id: id, check: check, withinMillis: within, measure: measure)
    }
}
