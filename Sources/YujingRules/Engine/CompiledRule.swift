import Foundation
import YujingCore

/// A rule prepared for the engine: compiled conditions, tier thresholds and signal construction.
final class CompiledRule {
    let definition: RuleDefinition
    let filter: [CompiledCondition]
    let first: [CompiledCondition]
    let then: [CompiledCondition]
    let groupBy: [EventField]
    let minimums: [Double]
    let window: Int64
    let definitionHash: String
    let acceptsAccess: Bool
    let acceptsFinding: Bool
    let acceptsHeartbeat: Bool

    static let keySeparator: Character = "\u{1F}"

    init(_ definition: RuleDefinition) {
        self.definition = definition
        // Conditions are a conjunction: evaluate the cheap ones first, regular expressions last.
        // `kind` equality is answered from the event's case, without strings.
        var kinds: Set<String>?
        var remaining: [FieldCondition] = []
        for condition in definition.filter {
            if condition.field == .kind, !condition.ignoreCase, case .equals(let values) = condition.test {
                kinds = (kinds ?? Set(values)).intersection(values)
            } else {
                remaining.append(condition)
            }
        }
        acceptsAccess = kinds?.contains("access") ?? true
        acceptsFinding = kinds?.contains("finding") ?? true
        acceptsHeartbeat = kinds?.contains("heartbeat") ?? true
        filter = Self.ordered(remaining.map(CompiledCondition.init))
        first = Self.ordered(definition.first.map(CompiledCondition.init))
        then = Self.ordered(definition.then.map(CompiledCondition.init))
        groupBy = definition.groupBy
        minimums = definition.tiers.map(\.minimum)
        window = definition.windowMillis
        definitionHash = Self.hash(of: definition)
    }

    static func ordered(_ conditions: [CompiledCondition]) -> [CompiledCondition] {
        conditions.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
    }

    static func hash(of definition: RuleDefinition) -> String {
        var copy = definition
        copy.source = nil
        copy.annotations = [:]
        copy.title = ""
        copy.description = nil
        copy.labels = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(copy)) ?? Data()
        return Fingerprint.hex([String(decoding: data, as: UTF8.self)])
    }

    @inline(__always)
    func passes(_ event: EngineEvent) -> Bool {
        let kindAccepted: Bool
        switch event {
        case .access: kindAccepted = acceptsAccess
        case .finding: kindAccepted = acceptsFinding
        case .heartbeat: kindAccepted = acceptsHeartbeat
        }
        return kindAccepted && Self.all(filter, event)
    }

    /// Whether every condition holds; indexes in place so that no condition is copied (and retained).
    @inline(__always)
    static func all(_ conditions: [CompiledCondition], _ event: EngineEvent) -> Bool {
        conditions.withUnsafeBufferPointer { conditions in
            for index in conditions.indices where !conditions[index].holds(event) { return false }
            return true
        }
    }

    /// The group key, or `nil` when the event lacks a group field.
    @inline(__always)
    func key(_ event: EngineEvent) -> String? {
        switch groupBy.count {
        case 0: return ""
        case 1: return event.value(of: groupBy[0])?.text
        default:
            var key = ""
            for (index, field) in groupBy.enumerated() {
                guard let value = event.value(of: field) else { return nil }
                if index > 0 { key.append(Self.keySeparator) }
                key += value.text
            }
            return key
        }
    }

    /// Highest tier whose minimum the measure reaches, or -1.
    @inline(__always)
    func tierIndex(_ measure: Double) -> Int {
        var index = -1
        for (i, minimum) in minimums.enumerated() where measure >= minimum { index = i }
        return index
    }

    /// The lowest tier's minimum.
    var firstMinimum: Double { minimums.first ?? 1 }

    /// Builds a signal. `event` is the triggering event when there is one (for masking the subject).
    func signal(
        key: String, event: EngineEvent?, tier: Int, previousTier: Int, startsAt: Int64, count: Int, value: Double,
        detail: String? = nil
    ) -> WarningSignal {
        let tierDefinition = definition.tiers[max(0, min(tier, definition.tiers.count - 1))]
        let level = tierDefinition.level
        var labels = definition.labels
        labels["alertname"] = definition.id
        labels["rule"] = definition.id
        labels["level"] = level.rawValue
        var values: [String: String] = [:]
        let parts =
            groupBy.count <= 1
            ? [key] : key.split(separator: Self.keySeparator, omittingEmptySubsequences: false).map(String.init)
        var maskedParts: [String] = []
        for (index, field) in groupBy.enumerated() {
            let raw = index < parts.count ? parts[index] : ""
            let shown = Self.masked(field: field, raw: raw, event: event)
            maskedParts.append(shown)
            values[field.rawValue] = shown
            labels[Self.labelName(field)] = shown
            if field == .subject, let subject = event?.subject {
                labels["subject_kind"] = subject.kind.rawValue
            }
        }
        let windowText = DurationText.text(window)
        let startsAtText = Date(timeIntervalSince1970: Double(startsAt) / 1000).formatted(.iso8601)
        values["count"] = String(count)
        values["value"] = FieldValue.number(value).text
        values["window"] = windowText
        values["rule"] = definition.id
        values["title"] = definition.title
        values["level"] = level.rawValue
        values["level_name"] = level.chineseName
        values["colour"] = level.colour
        values["starts_at"] = startsAtText
        values["key"] = maskedParts.joined(separator: "/")
        var annotations: [String: String] = [:]
        for (name, template) in definition.annotations {
            annotations[name] = AnnotationTemplate.render(template, values)
        }
        if annotations["summary"] == nil { annotations["summary"] = definition.title }
        let keyText = zip(groupBy, maskedParts).map { "\($0.rawValue)=\($1)" }.joined(separator: " ")
        var evidence = "\(definition.kind.rawValue): measure \(values["value"] ?? "") ≥ "
        evidence += "\(FieldValue.number(tierDefinition.minimum).text) (tier \(level.rawValue)), \(count) events"
        evidence += ", window \(windowText)"
        if !keyText.isEmpty { evidence += ", \(keyText)" }
        if let detail { evidence += ", \(detail)" }
        var signal = WarningSignal(
            ruleID: definition.id, title: definition.title, level: level, isEscalation: previousTier >= 0,
            labels: labels, annotations: annotations, startsAtMillis: startsAt, count: count, value: value,
            fingerprint: Fingerprint.hex([definition.id] + parts), evidence: evidence)
        var keys: [String: String] = [:]
        for (index, field) in groupBy.enumerated() where index < parts.count { keys[field.rawValue] = parts[index] }
        if let kind = labels["subject_kind"] { keys["subject_kind"] = kind }
        signal.keys = keys
        return signal
    }

    static func labelName(_ field: EventField) -> String {
        field.rawValue.replacingOccurrences(of: ".", with: "_")
    }

    /// Subjects that are credentials are masked; without an event to tell the kind, subjects are masked.
    static func masked(field: EventField, raw: String, event: EngineEvent?) -> String {
        guard field == .subject else { return raw }
        if let subject = event?.subject, subject.id == raw { return subject.displayID }
        return Subject.mask(raw, kind: .token)
    }
}
