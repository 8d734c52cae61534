import YujingCore

/// A measure against a data user (Art. 26), from the mildest to the hardest.
public enum RestrictionMeasure: String, Sendable, Codable, CaseIterable, Comparable {
    /// A recorded warning to the user; nothing is blocked.
    case warn
    /// A request-rate limit.
    case throttle
    /// Access suspended for a period.
    case suspend
    /// Access closed for good; needs a `datacenter` approval.
    case close

    var rank: Int {
        switch self {
        case .warn: 0
        case .throttle: 1
        case .suspend: 2
        case .close: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// Whether agents enforce it (warn is only recorded and announced).
    public var isEnforced: Bool { self != .warn }

    /// Chinese name, for the public notice.
    public var chineseName: String {
        switch self {
        case .warn: "警告"
        case .throttle: "限制访问频率"
        case .suspend: "暂停访问"
        case .close: "关闭访问"
        }
    }
}

/// The ground of a restriction: the four cases of Art. 26.
public enum Article26Ground: Int, Sendable, Codable, CaseIterable {
    /// (1) Obtaining data by malicious or improper means.
    case maliciousAcquisition = 1
    /// (2) Infringing privacy, personal information or secrets.
    case infringement = 2
    /// (3) Use beyond the authorized scenario.
    case beyondScope = 3
    /// (4) Breach of the platform's requirements.
    case breachOfRequirements = 4

    /// English text.
    public var text: String {
        switch self {
        case .maliciousAcquisition: "Art. 26(1): data obtained by malicious or improper means"
        case .infringement: "Art. 26(2): infringing privacy, personal information or secrets"
        case .beyondScope: "Art. 26(3): data used beyond the authorized scenario"
        case .breachOfRequirements: "Art. 26(4): breach of the platform's requirements"
        }
    }

    /// Chinese text.
    public var chineseText: String {
        switch self {
        case .maliciousAcquisition: "第二十六条第（一）项：以恶意或不当手段获取数据"
        case .infringement: "第二十六条第（二）项：侵犯隐私、个人信息或秘密"
        case .beyondScope: "第二十六条第（三）项：超出授权场景使用数据"
        case .breachOfRequirements: "第二十六条第（四）项：违反平台要求"
        }
    }
}

/// Who a restriction applies to, as agents can enforce it.
public enum RestrictedSubjectKind: String, Sendable, Codable, CaseIterable {
    /// A platform user id.
    case user
    /// An application key.
    case appKey = "app_key"
    /// One client address.
    case ip
    /// An address block.
    case cidr

    /// The kind for a subject seen in access events (tokens are treated like app keys).
    /// - Parameter kind: The event's subject kind.
    public init(_ kind: Subject.Kind) {
        switch kind {
        case .user: self = .user
        case .appKey, .token: self = .appKey
        }
    }
}

/// Lifecycle of a dataset withdrawal (Art. 27).
public enum WithdrawalState: String, Sendable, Codable, CaseIterable {
    /// Proposed by a plan or an operator; waits for approval.
    case proposed
    /// Approved; enforcement not started yet.
    case approved
    /// Enforcement requested (platform adapter, agents); waiting for verification.
    case executing
    /// The public URL no longer serves it (verified).
    case withdrawn
    /// A re-scan of a new version after the withdrawal came back clean.
    case redesensitized
    /// Served again.
    case restored
    /// Cancelled before it took effect.
    case cancelled

    /// States a withdrawal may move to from this one.
    public var successors: Set<WithdrawalState> {
        switch self {
        case .proposed: [.approved, .cancelled]
        case .approved: [.executing, .cancelled]
        case .executing: [.withdrawn, .redesensitized]
        case .withdrawn: [.redesensitized]
        case .redesensitized: [.restored]
        case .restored, .cancelled: []
        }
    }

    /// Whether the dataset must not be served in this state.
    public var blocksAccess: Bool { [.approved, .executing, .withdrawn, .redesensitized].contains(self) }

    /// Whether the withdrawal is over (restored or cancelled).
    public var isFinal: Bool { self == .restored || self == .cancelled }
}

/// Lifecycle of a restriction.
public enum RestrictionState: String, Sendable, Codable, CaseIterable {
    /// Waiting for a `datacenter` approval (closures).
    case proposed
    /// In force.
    case active
    /// Ended by its expiry.
    case expired
    /// Lifted by an operator.
    case lifted
    /// Rejected before it took effect.
    case rejected
}

/// Escalation for repeat offenders: each earlier measure against the same subject within the look-back multiplies
/// the duration by the factor, up to a maximum.
public struct Escalation: Sendable, Hashable {
    /// Multiplier per earlier measure.
    public var factor: Double
    /// How far back earlier measures count, milliseconds.
    public var withinMillis: Int64
    /// Longest duration, milliseconds (nil: no cap).
    public var maxMillis: Int64?

    /// Creates an escalation.
    public init(factor: Double, withinMillis: Int64, maxMillis: Int64?) {
        self.factor = factor
        self.withinMillis = withinMillis
        self.maxMillis = maxMillis
    }

    /// The duration after `priorCount` earlier measures.
    /// - Parameters:
    ///   - baseMillis: The first offence's duration.
    ///   - priorCount: Earlier measures within the look-back.
    /// - Returns: The escalated duration.
    public func duration(baseMillis: Int64, priorCount: Int) -> Int64 {
        var value = Double(baseMillis)
        for _ in 0..<min(priorCount, 62) { value *= factor }
        var millis = value >= Double(Int64.max) ? Int64.max : Int64(value)
        if let maxMillis { millis = min(millis, maxMillis) }
        return millis
    }
}
