import Foundation
import YujingResponse

/// A dataset withdrawal (Art. 27) with its enforcement and verification status.
public struct WithdrawalRecord: Sendable, Hashable {
    /// Id.
    public var id: Int64
    /// Dataset id.
    public var dataset: String
    /// State.
    public var state: WithdrawalState
    /// Why (the operator's reason or the plan's title).
    public var reason: String
    /// The warning it answers.
    public var warningID: Int64?
    /// The plan that proposed it.
    public var plan: String?
    /// Who asked for it (token name or `plan:<id>`).
    public var requestedBy: String
    /// Who approved it.
    public var approvedBy: String?
    /// Created, epoch ms.
    public var createdMillis: Int64
    /// Last change, epoch ms.
    public var updatedMillis: Int64
    /// Start of the traceback: when the leaking version was published, epoch ms.
    public var sinceMillis: Int64
    /// Platform adapter: `pending`, `done`, `failed`, `disabled`.
    public var adapterStatus: String
    /// Adapter attempts so far.
    public var adapterAttempts: Int
    /// Last adapter error.
    public var adapterError: String?
    /// Verification: `pending`, `verified`, `still-served`, `unreachable`, `no-url`.
    public var verificationStatus: String
    /// Verification detail (status code seen).
    public var verificationDetail: String?
    /// When verification last ran, epoch ms.
    public var verifiedMillis: Int64?
    /// Drill id, for drill-made withdrawals.
    public var drill: String?
}

/// One entry of a withdrawal's history.
public struct WithdrawalTransition: Sendable, Hashable {
    /// Time, epoch ms.
    public var timeMillis: Int64
    /// New state.
    public var state: WithdrawalState
    /// Who.
    public var actor: String
    /// Why.
    public var reason: String
}

/// A restriction of a data user (Art. 26).
public struct RestrictionRecord: Sendable, Hashable {
    /// Id.
    public var id: Int64
    /// Subject kind.
    public var subjectKind: RestrictedSubjectKind
    /// Subject (user id, app key, address or block), in clear: agents enforce it. Public views mask it.
    public var subject: String
    /// Measure.
    public var measure: RestrictionMeasure
    /// State.
    public var state: RestrictionState
    /// Art. 26 ground.
    public var ground: Article26Ground
    /// Reason.
    public var reason: String
    /// The warning it answers.
    public var warningID: Int64?
    /// The plan that imposed it.
    public var plan: String?
    /// Who asked for it.
    public var requestedBy: String
    /// Who approved it (closures).
    public var approvedBy: String?
    /// Created, epoch ms.
    public var createdMillis: Int64
    /// In force from, epoch ms.
    public var startsMillis: Int64
    /// In force until, epoch ms (nil: until lifted).
    public var untilMillis: Int64?
    /// Requests per minute (throttle).
    public var ratePerMinute: Int?
    /// Earlier measures against the same subject within the escalation look-back.
    public var repeatIndex: Int
    /// Who lifted it.
    public var liftedBy: String?
    /// When it ended (lift or expiry), epoch ms.
    public var endedMillis: Int64?
    /// Drill id.
    public var drill: String?
}

/// A new restriction.
public struct RestrictionInput: Sendable, Hashable {
    /// Subject kind.
    public var subjectKind: RestrictedSubjectKind
    /// Subject.
    public var subject: String
    /// Measure.
    public var measure: RestrictionMeasure
    /// Ground.
    public var ground: Article26Ground
    /// Reason.
    public var reason: String
    /// Duration, ms (nil: until lifted).
    public var durationMillis: Int64?
    /// Rate (throttle).
    public var ratePerMinute: Int?
    /// Warning answered.
    public var warningID: Int64?
    /// Plan.
    public var plan: String?
    /// Whether it waits for an approval.
    public var needsApproval: Bool
    /// Repeat index (escalation).
    public var repeatIndex: Int
    /// Drill id.
    public var drill: String?

    /// Creates an input.
    public init(
        subjectKind: RestrictedSubjectKind, subject: String, measure: RestrictionMeasure, ground: Article26Ground,
        reason: String, durationMillis: Int64? = nil, ratePerMinute: Int? = nil, warningID: Int64? = nil,
        plan: String? = nil, needsApproval: Bool = false, repeatIndex: Int = 0, drill: String? = nil
    ) {
        self.subjectKind = subjectKind
        self.subject = subject
        self.measure = measure
        self.ground = ground
        self.reason = reason
        self.durationMillis = durationMillis
        self.ratePerMinute = ratePerMinute
        self.warningID = warningID
        self.plan = plan
        self.needsApproval = needsApproval
        self.repeatIndex = repeatIndex
        self.drill = drill
    }
}

/// Who obtained a dataset: one row per subject (or client address when no subject) and channel.
public struct TracebackRow: Sendable, Hashable {
    /// `user`, `app_key`, `token` or `ip`.
    public var subjectKind: String
    /// The subject id (or address).
    public var subject: String
    /// `download`, `api` or `sandbox`.
    public var channel: String
    /// Successful requests.
    public var count: Int
    /// First, epoch ms.
    public var firstMillis: Int64
    /// Last, epoch ms.
    public var lastMillis: Int64
    /// Bytes sent.
    public var bytes: Int64
    /// Distinct client addresses.
    public var addresses: Int
}

/// The last enforcement report of an agent.
public struct EnforcementReportRecord: Sendable, Hashable {
    /// Agent.
    public var agent: String
    /// Document version applied.
    public var version: String
    /// Received, epoch ms.
    public var receivedMillis: Int64
    /// nginx status.
    public var nginxStatus: String
    /// nginx error.
    public var nginxError: String?
    /// The report as sent (JSON).
    public var detail: String

    /// Creates a record.
    public init(
        agent: String, version: String, receivedMillis: Int64, nginxStatus: String, nginxError: String?, detail: String
    ) {
        self.agent = agent
        self.version = version
        self.receivedMillis = receivedMillis
        self.nginxStatus = nginxStatus
        self.nginxError = nginxError
        self.detail = detail
    }
}
