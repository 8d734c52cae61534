import Foundation
import Yams
import YujingCore
import YujingRules

/// Loads response plans from the `plans:` lists of `Runbooks/*.yaml` (files without `plans:` are drills or notes
/// and are skipped), validating every plan with file, line and reason, like rules.
public enum ResponsePlanLoader {
    static let planKeys: Set<String> = ["id", "title", "when", "measure", "mode", "approver", "notify_owner", "target",
        "duration", "rate_per_minute", "escalation", "ground"]
    static let triggerKeys: Set<String> = ["rules", "levels", "min_level", "dataset_category", "labels"]
    static let roles: Set<String> = ["analyst", "datacenter", "ops"]

    /// Loads every `*.yaml`/`*.yml` in a directory (sorted by name).
    /// - Parameter directory: The runbooks folder.
    /// - Returns: The plans; ids are unique across files.
    /// - Throws: ``RuleError`` for the first invalid plan or file.
    public static func load(directory: String) throws(RuleError) -> [ResponsePlan] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw RuleError(file: directory, line: 0, column: 0, reason: "cannot read the runbooks folder")
        }
        var plans: [ResponsePlan] = []
        var seen: [String: String] = [:]
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RuleError(file: path, line: 0, column: 0, reason: "cannot read (not UTF-8?)")
            }
            for plan in try parse(text, file: path) {
                if let earlier = seen[plan.id] {
                    throw RuleError(
                        file: path, line: line(of: plan.source), column: 0,
                        reason: "duplicate plan id '\(plan.id)' (first at \(earlier))")
                }
                seen[plan.id] = plan.source
                plans.append(plan)
            }
        }
        return plans
    }

    static func line(of source: String) -> Int { Int(source.split(separator: ":").last ?? "") ?? 0 }

    /// Parses one file's text.
    /// - Parameters:
    ///   - text: YAML.
    ///   - file: File name for errors.
    /// - Returns: Its plans (none when it has no `plans:`).
    /// - Throws: ``RuleError``.
    public static func parse(_ text: String, file: String) throws(RuleError) -> [ResponsePlan] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RuleError(file: file, line: 0, column: 0, reason: "YAML syntax: \(error)")
        } catch {
            throw RuleError(file: file, line: 0, column: 0, reason: "\(error)")
        }
        guard let root, case .mapping = root, let list = root["plans"] else { return [] }
        guard case .sequence(let items) = list else { throw fail(file, list, "plans must be a list") }
        var plans: [ResponsePlan] = []
        for item in items { plans.append(try plan(item, file: file)) }
        return plans
    }

    static func fail(_ file: String, _ node: Node?, _ reason: String) -> RuleError {
        RuleError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, reason: reason)
    }

    static func string(_ node: Node, _ key: String, file: String, required: Bool = false) throws(RuleError) -> String? {
        guard let value = node[key] else {
            if required { throw fail(file, node, "missing '\(key)'") }
            return nil
        }
        guard case .scalar(let scalar) = value else { throw fail(file, value, "'\(key)' must be text") }
        return scalar.string
    }

    static func duration(_ node: Node, _ key: String, file: String) throws(RuleError) -> Int64? {
        guard let text = try string(node, key, file: file) else { return nil }
        guard let millis = DurationText.milliseconds(text), millis > 0 else {
            throw fail(file, node[key], "'\(key)' must be a duration like 30m, 24h, 7d")
        }
        return millis
    }

    static func plan(_ node: Node, file: String) throws(RuleError) -> ResponsePlan {
        guard case .mapping(let mapping) = node else { throw fail(file, node, "a plan must be a mapping") }
        for key in mapping.keys where !planKeys.contains(key.string ?? "") {
            throw fail(file, key, "unknown key '\(key.string ?? "?")' (allowed: \(planKeys.sorted().joined(separator: ", ")))")
        }
        let id = try string(node, "id", file: file, required: true) ?? ""
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            throw fail(file, node["id"], "id must match [a-z0-9._-]+")
        }
        let title = try string(node, "title", file: file) ?? id
        guard let whenNode = node["when"] else { throw fail(file, node, "plan '\(id)' needs 'when'") }
        let trigger = try self.trigger(whenNode, file: file)
        let measureText = try string(node, "measure", file: file, required: true) ?? ""
        let modeText = try string(node, "mode", file: file) ?? "approval"
        guard let mode = ResponsePlan.Mode(rawValue: modeText) else {
            throw fail(file, node["mode"], "mode must be automatic or approval")
        }
        let approver = try string(node, "approver", file: file) ?? "datacenter"
        guard roles.contains(approver) else {
            throw fail(file, node["approver"], "approver must be one of \(roles.sorted().joined(separator: ", "))")
        }
        var notifyOwner = true
        if let flag = node["notify_owner"] {
            guard let value = flag.bool else { throw fail(file, flag, "notify_owner must be true or false") }
            notifyOwner = value
        }
        let action: ResponsePlan.Action
        if measureText == "withdraw" {
            for key in ["target", "duration", "rate_per_minute", "escalation", "ground"] where node[key] != nil {
                throw fail(file, node[key], "'\(key)' applies to restrictions, not to withdraw")
            }
            action = .withdraw
        } else if let measure = RestrictionMeasure(rawValue: measureText) {
            action = .restrict(try restriction(node, measure: measure, mode: mode, file: file))
        } else {
            throw fail(file, node["measure"], "measure must be withdraw, warn, throttle, suspend or close")
        }
        return ResponsePlan(
            id: id, title: title, trigger: trigger, action: action, mode: mode, approverRole: approver,
            notifyOwner: notifyOwner, source: "\(file):\(node.mark?.line ?? 0)")
    }

    static func restriction(_ node: Node, measure: RestrictionMeasure, mode: ResponsePlan.Mode, file: String)
        throws(RuleError) -> RestrictionTemplate
    {
        let target = try string(node, "target", file: file) ?? "subject"
        guard target == "subject" || target == "ip" else { throw fail(file, node["target"], "target must be subject or ip") }
        guard let groundNode = node["ground"], let groundNumber = groundNode.int,
            let ground = Article26Ground(rawValue: groundNumber)
        else {
            throw fail(file, node["ground"] ?? node, "ground must be the Art. 26 case: 1, 2, 3 or 4")
        }
        let durationMillis = try duration(node, "duration", file: file)
        if measure == .suspend, durationMillis == nil {
            throw fail(file, node, "a suspend needs a duration")
        }
        if measure == .close, mode == .automatic {
            throw fail(file, node["mode"] ?? node, "close needs a datacenter approval: mode must be approval")
        }
        var rate: Int?
        if let rateNode = node["rate_per_minute"] {
            guard let value = rateNode.int, value > 0 else { throw fail(file, rateNode, "rate_per_minute must be > 0") }
            rate = value
        }
        if measure == .throttle, rate == nil { throw fail(file, node, "a throttle needs rate_per_minute") }
        var escalation: Escalation?
        if let escalationNode = node["escalation"] {
            guard case .mapping = escalationNode else { throw fail(file, escalationNode, "escalation must be a mapping") }
            let factor = escalationNode["factor"]?.float ?? 2
            guard factor >= 1 else { throw fail(file, escalationNode["factor"], "factor must be ≥ 1") }
            let within = try duration(escalationNode, "within", file: file) ?? 30 * 86_400_000
            escalation = Escalation(
                factor: factor, withinMillis: within, maxMillis: try duration(escalationNode, "max", file: file))
        }
        return RestrictionTemplate(
            measure: measure, target: target, durationMillis: durationMillis, ratePerMinute: rate,
            escalation: escalation, ground: ground)
    }

    static func trigger(_ node: Node, file: String) throws(RuleError) -> PlanTrigger {
        guard case .mapping(let mapping) = node else { throw fail(file, node, "'when' must be a mapping") }
        for key in mapping.keys where !triggerKeys.contains(key.string ?? "") {
            throw fail(file, key, "unknown key '\(key.string ?? "?")' in when")
        }
        var trigger = PlanTrigger()
        if let rules = node["rules"] {
            guard case .sequence(let items) = rules else { throw fail(file, rules, "rules must be a list of rule ids") }
            trigger.rules = items.compactMap(\.string)
        }
        if let levels = node["levels"] {
            guard case .sequence(let items) = levels else { throw fail(file, levels, "levels must be a list") }
            for item in items {
                guard let text = item.string, let level = WarningLevel.parse(text) else {
                    throw fail(file, item, "unknown level (I, II, III, IV)")
                }
                trigger.levels.insert(level)
            }
        }
        if let minimum = node["min_level"] {
            guard let text = minimum.string, let level = WarningLevel.parse(text) else {
                throw fail(file, minimum, "unknown level (I, II, III, IV)")
            }
            trigger.levels = Set(WarningLevel.allCases.filter { $0.severity >= level.severity })
        }
        if let category = node["dataset_category"] {
            guard let text = category.string, let value = OpenCategory(rawValue: text) else {
                throw fail(file, category, "dataset_category must be unconditional or conditional")
            }
            trigger.datasetCategory = value
        }
        if let labels = node["labels"] {
            guard case .mapping(let pairs) = labels else { throw fail(file, labels, "labels must be a mapping") }
            for (key, value) in pairs {
                guard let name = key.string, let text = value.string else {
                    throw fail(file, key, "labels must map text to text")
                }
                trigger.labels[name] = text
            }
        }
        return trigger
    }
}
