import YujingCore

/// One rule's state machine inside the engine. Implementations are classes owned by one engine.
protocol RuleEvaluator: AnyObject {
    var rule: CompiledRule { get }
    /// Keys or entries dropped because of a cap.
    var dropped: Int { get }
    /// Keys evicted after their window passed the watermark.
    var evicted: Int { get }
    /// Keys currently held.
    var keyCount: Int { get }
    /// Evaluates an accepted event (its time is at or after the watermark).
    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal])
    /// Drops the least recently active tenth of the keys (global cap); returns how many were dropped.
    func shed() -> Int
    /// Called when the watermark moves forward: evicts state, fires absence, closes buckets.
    func advance(to watermark: Int64, into signals: inout [WarningSignal])
    /// The state for a snapshot.
    func exportState() -> RuleState
    /// Replaces the state from a snapshot of the same rule.
    func importState(_ state: RuleState)
}

/// Rule state in a snapshot, one case per evaluator kind.
public enum RuleState: Sendable, Codable, Hashable {
    /// Sliding-window rules (match, threshold, sum, scope).
    case window([String: WindowKeyState])
    /// Distinct-value rules.
    case distinct([String: DistinctKeyState])
    /// Sequence rules.
    case sequence([String: SequenceKeyState])
    /// Absence rules.
    case absence([String: AbsenceKeyState])
    /// Baseline rules.
    case baseline([String: BaselineKeyState])
}

extension Int64 {
    /// `self - other`, clamped instead of overflowing.
    @inline(__always)
    func minusClamped(_ other: Int64) -> Int64 {
        let (result, overflow) = subtractingReportingOverflow(other)
        return overflow ? .min : result
    }

    /// `self + other`, clamped instead of overflowing.
    @inline(__always)
    func plusClamped(_ other: Int64) -> Int64 {
        let (result, overflow) = addingReportingOverflow(other)
        return overflow ? .max : result
    }
}
