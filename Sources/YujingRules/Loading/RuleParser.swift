import Foundation
import Yams
import YujingCore

/// Turns one YAML rule mapping into a validated ``RuleDefinition``.
struct RuleParser {
    let file: String

    static let allowedKeys: Set<String> = [
        "id", "title", "description", "kind", "enabled", "level", "tiers", "threshold", "labels", "annotations",
        "group_by", "window", "where", "first", "then", "field", "bucket", "alpha", "sigmas", "warmup", "minimum",
        "check", "expect",
    ]

    func fail(_ node: Node?, _ reason: String) -> RuleError {
        RuleError(file: file, mark: node?.mark, reason: reason)
    }

    func rule(_ node: Node) throws(RuleError) -> RuleDefinition {
        guard case .mapping(let mapping) = node else { throw fail(node, "a rule must be a mapping") }
        for key in mapping.keys {
            guard let name = key.string, Self.allowedKeys.contains(name) else {
                throw fail(key, "unknown key '\(key.string ?? "?")'")
            }
        }
        let id = try requiredString(node, "id")
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ Self.idCharacters.contains($0) }) else {
            throw fail(node["id"], "id must match [a-z0-9._-]+")
        }
        let title = try requiredString(node, "title")
        let kindText = try requiredString(node, "kind")
        guard let kind = RuleKind(rawValue: kindText) else {
            throw fail(node["kind"], "unknown kind '\(kindText)' (one of \(RuleKind.allCases.map(\.rawValue)))")
        }
        var rule = RuleDefinition(
            id: id, title: title, description: try optionalString(node, "description"), kind: kind,
            enabled: try bool(node, "enabled") ?? true, tiers: [],
            source: RuleSource(file: file, line: node.mark?.line ?? 0))
        rule.labels = try stringMap(node, "labels")
        rule.annotations = try stringMap(node, "annotations")
        rule.groupBy = try fields(node, "group_by")
        rule.filter = try conditions(node["where"])
        rule.first = try conditions(node["first"])
        rule.then = try conditions(node["then"])
        if let fieldNode = node["field"] {
            guard let name = fieldNode.string, let field = EventField.named(name) else {
                throw fail(fieldNode, "unknown field '\(fieldNode.string ?? "?")'")
            }
            rule.field = field
        }
        if let check = node["check"] {
            guard let text = check.string, let scope = ScopeCheck(rawValue: text) else {
                throw fail(check, "check must be 'approval' or 'restriction'")
            }
            rule.scope = scope
        }
        if let expect = node["expect"] {
            guard case .sequence(let items) = expect else { throw fail(expect, "expect must be a list of keys") }
            rule.expectedKeys = items.compactMap(\.string)
        }
        if let window = node["window"] {
            guard let text = window.string, let millis = DurationText.milliseconds(text), millis > 0 else {
                throw fail(window, "window must be a duration like 30s, 10m, 2h, 1d")
            }
            rule.windowMillis = millis
        } else if [.threshold, .distinct, .sum, .sequence, .absence].contains(kind) {
            throw fail(node, "rule '\(id)' of kind \(kind.rawValue) needs a window")
        } else {
            rule.windowMillis = kind == .baseline ? 3_600_000 : 600_000
        }
        rule.tiers = try tiers(node, kind: kind)
        try validateKindSpecific(&rule, node)
        return rule
    }

    static let idCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")

    private func validateKindSpecific(_ rule: inout RuleDefinition, _ node: Node) throws(RuleError) {
        switch rule.kind {
        case .distinct, .sum:
            guard let field = rule.field else { throw fail(node, "\(rule.kind.rawValue) rule needs 'field'") }
            if rule.kind == .sum, !field.isNumeric {
                throw fail(node["field"], "sum needs a numeric field (status, bytes, finding.count)")
            }
        case .match:
            if let field = rule.field, !field.isNumeric {
                throw fail(node["field"], "a match rule's field must be numeric (status, bytes, finding.count)")
            }
        case .sequence:
            guard !rule.first.isEmpty, !rule.then.isEmpty else {
                throw fail(node, "sequence rule needs 'first' and 'then' conditions")
            }
            guard !rule.groupBy.isEmpty else { throw fail(node, "sequence rule needs group_by") }
        case .absence:
            guard !rule.groupBy.isEmpty else { throw fail(node, "absence rule needs group_by (e.g. [agent])") }
        case .baseline:
            let bucket: Int64
            if let bucketNode = node["bucket"] {
                guard let text = bucketNode.string, let millis = DurationText.milliseconds(text), millis > 0 else {
                    throw fail(bucketNode, "bucket must be a duration")
                }
                bucket = millis
            } else {
                bucket = rule.windowMillis
            }
            var parameters = BaselineParameters(bucketMillis: bucket)
            if let alpha = try number(node, "alpha") {
                guard alpha > 0, alpha <= 1 else { throw fail(node["alpha"], "alpha must be in (0, 1]") }
                parameters.alpha = alpha
            }
            if let sigmas = try number(node, "sigmas") {
                guard sigmas >= 0 else { throw fail(node["sigmas"], "sigmas must be ≥ 0") }
                parameters.sigmas = sigmas
            }
            if let warmup = try number(node, "warmup") {
                guard warmup >= 1 else { throw fail(node["warmup"], "warmup must be ≥ 1 bucket") }
                parameters.warmupBuckets = Int(warmup)
            }
            if let minimum = try number(node, "minimum") { parameters.minimum = minimum }
            rule.baseline = parameters
            rule.windowMillis = bucket
        case .scope:
            guard rule.scope != nil else { throw fail(node, "scope rule needs check: approval|restriction") }
        case .threshold:
            break
        }
        if rule.kind != .baseline {
            for key in ["bucket", "alpha", "sigmas", "warmup", "minimum"] where node[key] != nil {
                throw fail(node[key], "'\(key)' applies to baseline rules only")
            }
        }
        if rule.kind != .sequence, node["first"] != nil || node["then"] != nil {
            throw fail(node["first"] ?? node["then"], "'first'/'then' apply to sequence rules only")
        }
        for (name, template) in rule.annotations {
            if let unknown = AnnotationTemplate.unknownVariable(in: template) {
                throw fail(node["annotations"], "annotation '\(name)' uses unknown variable '\(unknown)'")
            }
        }
    }

    private func tiers(_ node: Node, kind: RuleKind) throws(RuleError) -> [LevelTier] {
        if let tiersNode = node["tiers"] {
            if node["level"] != nil || node["threshold"] != nil {
                throw fail(tiersNode, "give either 'tiers' or 'level' (with 'threshold'), not both")
            }
            guard case .sequence(let items) = tiersNode, !items.isEmpty else {
                throw fail(tiersNode, "tiers must be a non-empty list of {at: N, level: I..IV}")
            }
            var result: [LevelTier] = []
            for item in items {
                guard case .mapping = item, let at = item["at"] ?? item["min"],
                    let minimum = Double(at.string ?? ""), let levelNode = item["level"],
                    let level = WarningLevel.parse(levelNode.string ?? "")
                else { throw fail(item, "a tier needs 'at' (a number) and 'level' (I, II, III or IV)") }
                if let last = result.last {
                    guard minimum > last.minimum else { throw fail(item, "tiers must have increasing 'at'") }
                    guard level > last.level else {
                        throw fail(item, "a higher tier must have a more severe level")
                    }
                }
                result.append(LevelTier(minimum: minimum, level: level))
            }
            return result
        }
        guard let levelNode = node["level"] else { throw fail(node, "rule needs 'level' or 'tiers'") }
        guard let level = WarningLevel.parse(levelNode.string ?? "") else {
            throw fail(levelNode, "level must be I, II, III or IV")
        }
        let defaultMinimum: Double
        switch kind {
        case .match, .scope, .sequence: defaultMinimum = 1
        case .absence, .baseline: defaultMinimum = 0
        case .threshold, .distinct, .sum:
            guard node["threshold"] != nil else {
                throw fail(node, "\(kind.rawValue) rule needs 'threshold' or 'tiers'")
            }
            defaultMinimum = 1
        }
        let minimum = try number(node, "threshold") ?? defaultMinimum
        guard minimum >= 0 else { throw fail(node["threshold"], "threshold must be ≥ 0") }
        return [LevelTier(minimum: minimum, level: level)]
    }

    // MARK: conditions

    func conditions(_ node: Node?) throws(RuleError) -> [FieldCondition] {
        guard let node else { return [] }
        guard case .mapping(let mapping) = node else {
            throw fail(node, "conditions must be a mapping of field: test")
        }
        var result: [FieldCondition] = []
        for (key, value) in mapping {
            guard let name = key.string, let field = EventField.named(name) else {
                throw fail(key, "unknown field '\(key.string ?? "?")' (known: \(EventField.allCases.map(\.rawValue)))")
            }
            result += try fieldConditions(field, value)
        }
        return result
    }

    private func fieldConditions(_ field: EventField, _ value: Node) throws(RuleError) -> [FieldCondition] {
        switch value {
        case .scalar:
            return [FieldCondition(field: field, test: .equals([value.string ?? ""]))]
        case .sequence:
            return [FieldCondition(field: field, test: .equals(try strings(value)))]
        case .alias:
            throw fail(value, "aliases are not supported in conditions")
        case .mapping(let mapping):
            var ignoreCase = false
            if let flag = value["ignore_case"] {
                guard let bool = flag.bool else { throw fail(flag, "ignore_case must be true or false") }
                ignoreCase = bool
            }
            var result: [FieldCondition] = []
            for (key, operand) in mapping {
                guard let op = key.string else { throw fail(key, "operator must be text") }
                let test: ConditionTest
                switch op {
                case "ignore_case": continue
                case "equals", "in": test = .equals(try strings(operand))
                case "not_equals", "not_in": test = .notEquals(try strings(operand))
                case "prefix": test = .prefix(try strings(operand))
                case "suffix": test = .suffix(try strings(operand))
                case "contains": test = .contains(try strings(operand))
                case "regex":
                    guard let pattern = operand.string else { throw fail(operand, "regex must be text") }
                    do {
                        _ = try Regex(pattern)
                    } catch {
                        throw fail(operand, "invalid regex: \(error)")
                    }
                    test = .regex(pattern)
                case "cidr":
                    let blocks = try strings(operand)
                    for block in blocks where CIDRBlock(block) == nil {
                        throw fail(operand, "invalid CIDR block '\(block)'")
                    }
                    test = .cidr(blocks)
                case "exists":
                    guard let bool = operand.bool else { throw fail(operand, "exists must be true or false") }
                    test = .exists(bool)
                case "gt", "gte", "lt", "lte":
                    guard let comparison = ComparisonOperator(rawValue: op), let number = Double(operand.string ?? "")
                    else { throw fail(operand, "\(op) needs a number") }
                    test = .compare(comparison, number)
                default:
                    throw fail(
                        key,
                        "unknown operator '\(op)' (equals, in, not_equals, not_in, prefix, suffix, contains, regex, "
                            + "cidr, exists, gt, gte, lt, lte, ignore_case)")
                }
                result.append(FieldCondition(field: field, test: test, ignoreCase: ignoreCase))
            }
            guard !result.isEmpty else { throw fail(value, "no test given for field '\(field.rawValue)'") }
            return result
        }
    }

    // MARK: scalars

    private func strings(_ node: Node) throws(RuleError) -> [String] {
        switch node {
        case .scalar: return [node.string ?? ""]
        case .sequence(let items):
            var result: [String] = []
            for item in items {
                guard case .scalar = item, let text = item.string else { throw fail(item, "expected a plain value") }
                result.append(text)
            }
            guard !result.isEmpty else { throw fail(node, "empty list") }
            return result
        default: throw fail(node, "expected a value or a list of values")
        }
    }

    private func requiredString(_ node: Node, _ key: String) throws(RuleError) -> String {
        guard let value = node[key] else { throw fail(node, "missing '\(key)'") }
        guard case .scalar = value, let text = value.string else { throw fail(value, "'\(key)' must be text") }
        return text
    }

    private func optionalString(_ node: Node, _ key: String) throws(RuleError) -> String? {
        guard let value = node[key] else { return nil }
        guard case .scalar = value, let text = value.string else { throw fail(value, "'\(key)' must be text") }
        return text
    }

    private func bool(_ node: Node, _ key: String) throws(RuleError) -> Bool? {
        guard let value = node[key] else { return nil }
        guard let bool = value.bool else { throw fail(value, "'\(key)' must be true or false") }
        return bool
    }

    private func number(_ node: Node, _ key: String) throws(RuleError) -> Double? {
        guard let value = node[key] else { return nil }
        guard let number = Double(value.string ?? "") else { throw fail(value, "'\(key)' must be a number") }
        return number
    }

    private func stringMap(_ node: Node, _ key: String) throws(RuleError) -> [String: String] {
        guard let value = node[key] else { return [:] }
        guard case .mapping(let mapping) = value else { throw fail(value, "'\(key)' must be a mapping") }
        var result: [String: String] = [:]
        for (name, text) in mapping {
            guard let name = name.string, case .scalar = text, let text = text.string else {
                throw fail(name, "'\(key)' entries must be text")
            }
            result[name] = text
        }
        return result
    }

    private func fields(_ node: Node, _ key: String) throws(RuleError) -> [EventField] {
        guard let value = node[key] else { return [] }
        let names: [Node]
        switch value {
        case .scalar: names = [value]
        case .sequence(let items): names = Array(items)
        default: throw fail(value, "'\(key)' must be a field or a list of fields")
        }
        var result: [EventField] = []
        for name in names {
            guard let text = name.string, let field = EventField.named(text) else {
                throw fail(name, "unknown field '\(name.string ?? "?")'")
            }
            result.append(field)
        }
        return result
    }
}
