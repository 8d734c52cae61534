import Crypto
import Foundation
import Logging
import YujingActions
import YujingCore
import YujingResponse
import YujingRules
import YujingStore

/// A warning change handed from the pipeline to the responder, with the clear group-by values the measures need.
public struct ResponseTrigger: Sendable {
    /// The warning after the change.
    public var warning: WarningRecord
    /// Clear group-by values (`subject`, `subject_kind`, `ip`, `dataset`). Never shown.
    public var keys: [String: String]
}

/// Executes response plans and operators' measures: withdrawals (Art. 27) with platform adapter, agent enforcement,
/// verification and owner notice; restrictions (Art. 26) with escalation, expiry and the allow-list.
///
/// Everything it changes is written to the store with an audit record first; outbound calls happen afterwards and
/// are retried from the store's state, so a crash loses no measure.
public actor Responder {
    let database: YujingDatabase
    let configuration: ServerConfiguration
    let logger: Logger
    let adapter: PlatformAdapter
    let probe = URLProbe()
    /// The pipeline, for warnings about failed measures and for refreshing `scope` rules.
    var pipeline: Pipeline?
    /// Plans in force.
    public private(set) var plans: [ResponsePlan]
    let allowList: [(RestrictedSubjectKind, String)]
    var nextAdapterAttempt: [Int64: Int64] = [:]
    var restrictionCalls: [(id: Int64, action: String, attempts: Int, notBefore: Int64)] = []
    var raisedVerificationWarning: Set<Int64> = []
    /// Withdrawals whose adapter call is under way (the actor is re-entered while a call awaits the network).
    var adapterInFlight: Set<Int64> = []

    /// Creates the responder.
    /// - Parameters:
    ///   - database: Store.
    ///   - plans: Validated plans.
    ///   - configuration: Configuration.
    ///   - logger: Logger.
    ///   - pipeline: The pipeline (response warnings, scope refresh).
    public init(
        database: YujingDatabase, plans: [ResponsePlan], configuration: ServerConfiguration, logger: Logger,
        pipeline: Pipeline?
    ) {
        self.pipeline = pipeline
        self.database = database
        self.plans = plans
        self.configuration = configuration
        self.logger = logger
        adapter = PlatformAdapter(calls: configuration.platform)
        allowList = configuration.response.allowList.compactMap { entry in
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = RestrictedSubjectKind(rawValue: parts[0]) else { return nil }
            return (kind, parts[1])
        }
    }

    /// Replaces the plans (validated by the caller).
    /// - Parameter plans: New plans.
    public func reload(_ plans: [ResponsePlan]) { self.plans = plans }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Plans

    /// Applies the plans that match warning changes.
    /// - Parameter triggers: New, escalated or reopened warnings.
    public func handle(_ triggers: [ResponseTrigger]) async {
        for trigger in triggers where trigger.warning.state != .silenced {
            let warning = trigger.warning
            let dataset = trigger.keys["dataset"] ?? warning.dataset
            let category = dataset.flatMap { try? database.dataset(id: $0) }?.openCategory
            for plan in plans
            where plan.trigger.matches(
                rule: warning.rule, level: warning.level, labels: warning.labels, category: category)
            {
                do {
                    switch plan.action {
                    case .withdraw:
                        guard let dataset else { continue }
                        try await withdrawByPlan(plan, dataset: dataset, warning: warning)
                    case .restrict(let template):
                        try await restrictByPlan(plan, template: template, trigger: trigger)
                    }
                } catch {
                    logger.error(
                        "response plan failed",
                        metadata: ["plan.id": "\(plan.id)", "warning.id": "\(warning.id)", "error": "\(error)"])
                }
            }
        }
    }

    /// Whether a drill is live (approved): its measures are enforced like real ones, and stay marked as drill data.
    func isLive(_ drill: String?) -> Bool {
        guard let drill else { return false }
        return (try? database.liveDrills().contains(drill)) ?? false
    }

    func withdrawByPlan(_ plan: ResponsePlan, dataset: String, warning: WarningRecord) async throws {
        let automatic = plan.mode == .automatic
        let drill = warning.labels["drill"]
        let live = isLive(drill)
        let (withdrawal, created) = try database.openWithdrawal(
            dataset: dataset, reason: "\(plan.title) (warning \(warning.id): \(warning.title))", actor: "plan:\(plan.id)",
            approved: automatic, warningID: warning.id, plan: plan.id, sinceMillis: nil,
            adapterEnabled: (drill == nil || live) && adapter.handles("withdraw"),
            leakMarginMillis: Int64(configuration.response.tracebackMarginSeconds) * 1000, drill: drill,
            nowMillis: Self.now())
        guard created else {
            // A withdrawal another plan only proposed is approved by an automatic plan for a graver warning.
            guard automatic, withdrawal.state == .proposed else { return }
            let approved = try database.transitionWithdrawal(
                id: withdrawal.id, to: .approved, actor: "plan:\(plan.id)",
                reason: "\(plan.title) (warning \(warning.id): \(warning.title))", nowMillis: Self.now())
            if let drill, !live {
                try simulateExecution(approved, actor: "plan:\(plan.id)", drill: drill)
            } else {
                try await execute(approved, actor: "plan:\(plan.id)")
            }
            return
        }
        if let drill, !live {
            logger.notice(
                "drill: withdrawal simulated",
                metadata: ["drill.id": "\(drill)", "dataset.id": "\(dataset)", "withdrawal.id": "\(withdrawal.id)"])
            if automatic { try simulateExecution(withdrawal, actor: "plan:\(plan.id)", drill: drill) }
            return
        }
        logger.notice(
            "withdrawal opened by plan",
            metadata: [
                "plan.id": "\(plan.id)", "dataset.id": "\(dataset)", "withdrawal.id": "\(withdrawal.id)",
                "withdrawal.state": "\(withdrawal.state.rawValue)",
            ])
        if automatic { try await execute(withdrawal, actor: "plan:\(plan.id)") }
    }

    func restrictByPlan(_ plan: ResponsePlan, template: RestrictionTemplate, trigger: ResponseTrigger) async throws {
        let kind: RestrictedSubjectKind
        let subject: String
        if template.target == "ip" {
            guard let ip = trigger.keys["ip"], !ip.isEmpty else { return }
            kind = .ip
            subject = ip
        } else {
            guard let id = trigger.keys["subject"], !id.isEmpty else { return }
            kind = trigger.keys["subject_kind"].flatMap(Subject.Kind.init(rawValue:)).map(RestrictedSubjectKind.init)
                ?? .appKey
            subject = id
        }
        _ = try await restrict(
            kind: kind, subject: subject, measure: template.measure, ground: template.ground,
            reason: "\(plan.title) (warning \(trigger.warning.id): \(trigger.warning.title))",
            durationMillis: template.durationMillis, ratePerMinute: template.ratePerMinute,
            escalation: template.escalation, warningID: trigger.warning.id, plan: plan.id,
            needsApproval: plan.mode == .approval || template.measure == .close, actor: "plan:\(plan.id)",
            drill: trigger.warning.labels["drill"])
    }

    // MARK: Withdrawals

    /// Opens a withdrawal by an operator: approved at once, or proposed under the two-person rule.
    /// - Parameters:
    ///   - dataset: Dataset id (must be in the catalogue).
    ///   - reason: Why.
    ///   - actor: Operator.
    ///   - warningID: Warning answered.
    ///   - sinceMillis: Traceback start.
    /// - Returns: The withdrawal.
    /// - Throws: ``StoreError``.
    public func withdraw(dataset: String, reason: String, actor: String, warningID: Int64?, sinceMillis: Int64?)
        async throws -> WithdrawalRecord
    {
        guard try database.dataset(id: dataset) != nil else { throw StoreError.notFound("dataset \(dataset)") }
        let approved = !configuration.response.twoPersonRule
        let (withdrawal, created) = try database.openWithdrawal(
            dataset: dataset, reason: reason, actor: actor, approved: approved, warningID: warningID, plan: nil,
            sinceMillis: sinceMillis, adapterEnabled: adapter.handles("withdraw"),
            leakMarginMillis: Int64(configuration.response.tracebackMarginSeconds) * 1000, nowMillis: Self.now())
        if created, approved { return try await execute(withdrawal, actor: actor) }
        return withdrawal
    }

    /// Approves a proposed withdrawal and executes it.
    /// - Parameters:
    ///   - id: Withdrawal id.
    ///   - actor: Approver.
    ///   - comment: Comment.
    /// - Returns: The withdrawal.
    /// - Throws: ``StoreError``.
    public func approveWithdrawal(id: Int64, actor: String, comment: String) async throws -> WithdrawalRecord {
        let approved = try database.transitionWithdrawal(
            id: id, to: .approved, actor: actor, reason: comment.isEmpty ? "approved" : comment,
            distinctApprover: configuration.response.twoPersonRule, nowMillis: Self.now())
        if let drill = approved.drill, !isLive(drill) {
            try simulateExecution(approved, actor: actor, drill: drill)
            return try database.withdrawal(id: id) ?? approved
        }
        return try await execute(approved, actor: actor)
    }

    /// Moves an approved withdrawal to executing: agents pick it up from the enforcement document, the platform
    /// adapter is called (retried by ``tick()``), the owner is told, and verification starts.
    @discardableResult
    func execute(_ withdrawal: WithdrawalRecord, actor: String) async throws -> WithdrawalRecord {
        let executing = try database.transitionWithdrawal(
            id: withdrawal.id, to: .executing, actor: actor, reason: "enforcement requested", nowMillis: Self.now())
        await callAdapter(for: executing)
        // Owners hear of real withdrawals only, never of drills.
        if executing.drill == nil { await notifyOwner(executing) }
        return executing
    }

    /// A drill's withdrawal: recorded and shown, never sent to the platform adapter, agents or owners.
    func simulateExecution(_ withdrawal: WithdrawalRecord, actor: String, drill: String) throws {
        let now = Self.now()
        try database.transitionWithdrawal(
            id: withdrawal.id, to: .executing, actor: actor, reason: "simulated (drill \(drill))", nowMillis: now)
        try database.recordVerification(
            id: withdrawal.id, status: "simulated", detail: "drill \(drill): not enforced", nowMillis: now)
        try database.transitionWithdrawal(
            id: withdrawal.id, to: .withdrawn, actor: actor, reason: "simulated (drill \(drill))", nowMillis: Self.now())
    }

    /// Cancels a proposed or approved withdrawal.
    public func cancelWithdrawal(id: Int64, actor: String, comment: String) throws -> WithdrawalRecord {
        try database.transitionWithdrawal(
            id: id, to: .cancelled, actor: actor, reason: comment.isEmpty ? "cancelled" : comment, nowMillis: Self.now())
    }

    /// Restores a re-desensitized dataset (its new version was re-scanned clean). Agents drop the block; the platform
    /// adapter's `restore` is called.
    public func restoreWithdrawal(id: Int64, actor: String, comment: String) async throws -> WithdrawalRecord {
        guard let current = try database.withdrawal(id: id) else { throw StoreError.notFound("withdrawal \(id)") }
        guard current.state == .redesensitized else {
            throw StoreError.invalid(
                "withdrawal \(id) is \(current.state.rawValue): a dataset is restored only after a clean re-scan of its new version (re-desensitized)")
        }
        let restored = try database.transitionWithdrawal(
            id: id, to: .restored, actor: actor, reason: comment.isEmpty ? "restored" : comment, nowMillis: Self.now())
        if adapter.handles("restore") {
            do {
                try await adapter.perform(
                    "restore", values: values(for: restored), idempotencyKey: "yujing-restore-\(restored.id)")
            } catch {
                logger.error("platform restore failed", metadata: ["withdrawal.id": "\(id)", "error": "\(error)"])
                try? database.audit(
                    actor: "yujing", action: "withdrawal.adapter-failed", target: "withdrawal:\(id)",
                    detail: "restore: \(error)", nowMillis: Self.now())
            }
        }
        return restored
    }

    func values(for withdrawal: WithdrawalRecord) -> [String: String] {
        [
            "dataset": withdrawal.dataset, "withdrawal_id": String(withdrawal.id), "reason": withdrawal.reason,
            "state": withdrawal.state.rawValue,
        ]
    }

    func callAdapter(for stale: WithdrawalRecord) async {
        // The record may be stale (read before an await): decide on the stored state.
        guard !adapterInFlight.contains(stale.id), let withdrawal = try? database.withdrawal(id: stale.id),
            withdrawal.adapterStatus == "pending"
        else { return }
        adapterInFlight.insert(withdrawal.id)
        defer { adapterInFlight.remove(withdrawal.id) }
        let now = Self.now()
        if let notBefore = nextAdapterAttempt[withdrawal.id], now < notBefore { return }
        do {
            try await adapter.perform(
                "withdraw", values: values(for: withdrawal), idempotencyKey: "yujing-withdraw-\(withdrawal.id)")
            try database.recordAdapterAttempt(id: withdrawal.id, status: "done", error: nil, nowMillis: Self.now())
            nextAdapterAttempt[withdrawal.id] = nil
            logger.info("platform adapter withdrew the dataset", metadata: ["withdrawal.id": "\(withdrawal.id)"])
        } catch {
            let attempts = withdrawal.adapterAttempts + 1
            let final = attempts >= configuration.response.adapterAttempts
            try? database.recordAdapterAttempt(
                id: withdrawal.id, status: final ? "failed" : "pending", error: "\(error)", nowMillis: Self.now())
            let delay = min(Int64(1000) << min(attempts, 10), 300_000)
            nextAdapterAttempt[withdrawal.id] = now + delay
            logger.warning(
                "platform adapter call failed",
                metadata: [
                    "withdrawal.id": "\(withdrawal.id)", "attempt": "\(attempts)", "final": "\(final)",
                    "error": "\(error)",
                ])
            if final {
                await raise(
                    rule: "response.adapter-failed", title: "Platform adapter failed to withdraw a dataset",
                    level: .II, dataset: withdrawal.dataset,
                    summary: "Withdrawal \(withdrawal.id) of \(withdrawal.dataset): the platform adapter failed \(attempts) times (\(error)); withdraw it by hand.",
                    key: "withdrawal-\(withdrawal.id)")
            }
        }
    }

    /// The owner notice: the withdrawal and a summary of the traceback (credentials masked).
    struct OwnerNotice: Encodable {
        var type = "dataset.withdrawal"
        var dataset: String
        var title: String
        var owner_agency: String
        var withdrawal_id: Int64
        var state: String
        var reason: String
        var since: String
        var traceback_url: String
        var subjects: Int
        var requests: Int
        var bytes: Int64
        var obtained_by: [TracebackSummaryRow]
    }

    struct TracebackSummaryRow: Encodable {
        var subject_kind: String
        var subject: String
        var channel: String
        var count: Int
        var first: String
        var last: String
        var bytes: Int64
    }

    func notifyOwner(_ withdrawal: WithdrawalRecord) async {
        guard let dataset = try? database.dataset(id: withdrawal.dataset) else { return }
        if let planID = withdrawal.plan, let plan = plans.first(where: { $0.id == planID }), !plan.notifyOwner { return }
        let receivers = configuration.owners.filter { $0.agency == dataset.ownerAgency || $0.agency == "*" }
        guard !receivers.isEmpty else { return }
        let rows =
            (try? database.traceback(
                dataset: dataset.id, sinceMillis: withdrawal.sinceMillis,
                probeAddresses: configuration.response.verifySourceAddresses)) ?? []
        let notice = OwnerNotice(
            dataset: dataset.id, title: dataset.title, owner_agency: dataset.ownerAgency, withdrawal_id: withdrawal.id,
            state: withdrawal.state.rawValue, reason: withdrawal.reason, since: Self.iso(withdrawal.sinceMillis),
            traceback_url: "\(configuration.publicBase)/api/v1/datasets/\(dataset.id)/traceback?since=\(Self.iso(withdrawal.sinceMillis))",
            subjects: Set(rows.map { "\($0.subjectKind):\($0.subject)" }).count, requests: rows.reduce(0) { $0 + $1.count },
            bytes: rows.reduce(0) { $0 + $1.bytes },
            obtained_by: rows.map {
                TracebackSummaryRow(
                    subject_kind: $0.subjectKind, subject: Self.ownerView($0.subject, kind: $0.subjectKind),
                    channel: $0.channel, count: $0.count, first: Self.iso($0.firstMillis), last: Self.iso($0.lastMillis),
                    bytes: $0.bytes)
            })
        for receiver in receivers {
            guard let url = URL(string: receiver.url) else { continue }
            let poster = SignedJSONPoster(name: "owner:\(receiver.agency)", url: url, secret: receiver.secret)
            var delivered = false
            for attempt in 1...3 {
                do {
                    try await poster.post(notice)
                    delivered = true
                    break
                } catch {
                    logger.warning(
                        "owner notice failed",
                        metadata: ["withdrawal.id": "\(withdrawal.id)", "attempt": "\(attempt)", "error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(200 * attempt))
                }
            }
            try? database.audit(
                actor: "yujing", action: delivered ? "withdrawal.owner-notified" : "withdrawal.owner-notice-failed",
                target: "withdrawal:\(withdrawal.id)", detail: "agency=\(receiver.agency) rows=\(rows.count)",
                nowMillis: Self.now())
        }
    }

    /// Credentials (app keys, tokens) are masked for the owner; user ids and addresses are shown.
    static func ownerView(_ subject: String, kind: String) -> String {
        guard let subjectKind = Subject.Kind(rawValue: kind), subjectKind != .user else { return subject }
        return Subject.mask(subject, kind: subjectKind)
    }

    static func iso(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }

    // MARK: Restrictions

    /// Imposes or proposes a restriction, unless the subject is allow-listed or already under an equal or harder
    /// measure. Suspensions escalate for repeat offenders.
    /// - Returns: The new restriction, or nil when nothing was done.
    /// - Throws: ``StoreError``.
    public func restrict(
        kind: RestrictedSubjectKind, subject: String, measure: RestrictionMeasure, ground: Article26Ground,
        reason: String, durationMillis: Int64?, ratePerMinute: Int?, escalation: Escalation?, warningID: Int64?,
        plan: String?, needsApproval: Bool, actor: String, drill: String? = nil
    ) async throws -> RestrictionRecord? {
        if isAllowListed(kind: kind, subject: subject) {
            logger.notice(
                "restriction skipped: subject is on the allow-list",
                metadata: ["subject.kind": "\(kind.rawValue)", "restriction.measure": "\(measure.rawValue)"])
            try? database.audit(
                actor: actor, action: "restriction.allow-listed", target: "\(kind.rawValue):\(subject)",
                detail: "measure=\(measure.rawValue)", nowMillis: Self.now())
            return nil
        }
        // An equal or harder measure in force makes this one moot; a proposal waiting for approval does not (it is
        // not in force), except against a second proposal of the same or a milder measure.
        let open = try database.openRestrictions(kind: kind, subject: subject, drill: drill)
        if open.contains(where: { $0.state == .active && $0.measure >= measure }) { return nil }
        if needsApproval, open.contains(where: { $0.state == .proposed && $0.measure >= measure }) { return nil }
        let now = Self.now()
        var duration = durationMillis
        var repeatIndex = 0
        if let escalation {
            repeatIndex = try database.restrictionCount(
                kind: kind, subject: subject, sinceMillis: now - escalation.withinMillis, drill: drill)
            if let base = durationMillis {
                duration = escalation.duration(baseMillis: base, priorCount: repeatIndex)
            }
        } else {
            repeatIndex = try database.restrictionCount(
                kind: kind, subject: subject, sinceMillis: now - 30 * 86_400_000, drill: drill)
        }
        let record = try database.imposeRestriction(
            RestrictionInput(
                subjectKind: kind, subject: subject, measure: measure, ground: ground, reason: reason,
                durationMillis: duration, ratePerMinute: ratePerMinute, warningID: warningID, plan: plan,
                needsApproval: needsApproval, repeatIndex: repeatIndex, drill: drill),
            actor: actor, nowMillis: now)
        logger.notice(
            "restriction \(record.state == .active ? "imposed" : "proposed")",
            metadata: [
                "restriction.id": "\(record.id)", "restriction.measure": "\(measure.rawValue)",
                "subject.kind": "\(kind.rawValue)", "restriction.repeat": "\(repeatIndex)",
            ])
        if record.state == .active, drill == nil || isLive(drill) { await activated(record) }
        return record
    }

    func isAllowListed(kind: RestrictedSubjectKind, subject: String) -> Bool {
        for (allowedKind, value) in allowList {
            if allowedKind == kind, value == subject { return true }
            if allowedKind == .cidr, kind == .ip || kind == .cidr,
                let block = CIDRBlock(value), let address = subject.split(separator: "/").first,
                block.contains(address: String(address))
            {
                return true
            }
        }
        return false
    }

    func activated(_ record: RestrictionRecord) async {
        await pipeline?.refreshScope()
        if record.measure.isEnforced, adapter.handles("restrict") {
            restrictionCalls.append((record.id, "restrict", 0, 0))
            await retryRestrictionCalls()
        }
    }

    /// Approves a proposed restriction.
    public func approveRestriction(id: Int64, actor: String) async throws -> RestrictionRecord {
        let record = try database.approveRestriction(id: id, actor: actor, nowMillis: Self.now())
        if record.drill == nil || isLive(record.drill) { await activated(record) }
        return record
    }

    /// Lifts an active restriction or rejects a proposed one.
    public func liftRestriction(id: Int64, actor: String, reason: String) async throws -> RestrictionRecord {
        let before = try database.restriction(id: id)
        let record = try database.liftRestriction(id: id, actor: actor, reason: reason, nowMillis: Self.now())
        await pipeline?.refreshScope()
        if before?.state == .active, record.measure.isEnforced, adapter.handles("lift") {
            restrictionCalls.append((record.id, "lift", 0, 0))
            await retryRestrictionCalls()
        }
        return record
    }

    func retryRestrictionCalls() async {
        let now = Self.now()
        // Take the queue: calls added while this one awaits the network are kept for the next round.
        let calls = restrictionCalls
        restrictionCalls = []
        var remaining: [(id: Int64, action: String, attempts: Int, notBefore: Int64)] = []
        defer { restrictionCalls.append(contentsOf: remaining) }
        for call in calls {
            guard now >= call.notBefore, let record = try? database.restriction(id: call.id) else {
                remaining.append(call)
                continue
            }
            let values = [
                "subject": record.subject, "subject_kind": record.subjectKind.rawValue,
                "measure": record.measure.rawValue, "restriction_id": String(record.id),
                "until": record.untilMillis.map(Self.iso) ?? "", "ground": String(record.ground.rawValue),
                "rate_per_minute": record.ratePerMinute.map(String.init) ?? "",
            ]
            do {
                try await adapter.perform(
                    call.action, values: values, idempotencyKey: "yujing-\(call.action)-\(record.id)")
                try? database.audit(
                    actor: "yujing", action: "restriction.adapter-done", target: "restriction:\(record.id)",
                    detail: call.action, nowMillis: Self.now())
            } catch {
                let attempts = call.attempts + 1
                if attempts >= configuration.response.adapterAttempts {
                    try? database.audit(
                        actor: "yujing", action: "restriction.adapter-failed", target: "restriction:\(record.id)",
                        detail: "\(call.action): \(error)", nowMillis: Self.now())
                    await raise(
                        rule: "response.adapter-failed", title: "Platform adapter failed to apply a restriction",
                        level: .III, dataset: nil,
                        summary: "Restriction \(record.id) (\(call.action)): the platform adapter failed \(attempts) times (\(error)).",
                        key: "restriction-\(record.id)")
                } else {
                    remaining.append(
                        (call.id, call.action, attempts, now + min(Int64(1000) << min(attempts, 10), 300_000)))
                }
            }
        }
    }

    // MARK: Background work

    /// One round of background work: adapter retries, verification of withdrawals, clean re-scans, expiry.
    public func tick() async {
        let now = Self.now()
        do {
            let expired = try database.expireRestrictions(nowMillis: now)
            if !expired.isEmpty {
                await pipeline?.refreshScope()
                logger.info("restrictions expired", metadata: ["count": "\(expired.count)"])
            }
            await retryRestrictionCalls()
            let live = try database.liveDrills()
            for withdrawal in try database.withdrawals(states: [.executing, .withdrawn])
            where withdrawal.drill.map(live.contains) ?? true {
                if withdrawal.adapterStatus == "pending" { await callAdapter(for: withdrawal) }
                if withdrawal.state == .executing { await verify(withdrawal, now: now) }
                if try database.cleanRescan(dataset: withdrawal.dataset, afterMillis: withdrawal.createdMillis) {
                    try database.transitionWithdrawal(
                        id: withdrawal.id, to: .redesensitized, actor: "yujing",
                        reason: "a new version was re-scanned clean", nowMillis: Self.now())
                }
            }
        } catch {
            logger.error("response tick failed", metadata: ["error": "\(error)"])
        }
    }

    func verify(_ withdrawal: WithdrawalRecord, now: Int64) async {
        guard let dataset = try? database.dataset(id: withdrawal.dataset), let text = dataset.publicURL,
            let url = URL(string: text)
        else {
            try? database.recordVerification(
                id: withdrawal.id, status: "no-url", detail: "the catalogue has no public_url", nowMillis: now)
            if agentsConfirmed(withdrawal) {
                _ = try? database.transitionWithdrawal(
                    id: withdrawal.id, to: .withdrawn, actor: "yujing",
                    reason: "agents enforced it; no public URL to verify", nowMillis: now)
            }
            return
        }
        let status: String
        let detail: String
        do {
            let code = try await probe.status(of: url)
            if [403, 404, 410].contains(code) {
                status = "verified"
            } else {
                status = "still-served"
            }
            detail = "GET \(text) -> \(code)"
        } catch {
            status = "unreachable"
            detail = "GET \(text): \(error)"
        }
        try? database.recordVerification(id: withdrawal.id, status: status, detail: detail, nowMillis: Self.now())
        if status == "verified" {
            _ = try? database.transitionWithdrawal(
                id: withdrawal.id, to: .withdrawn, actor: "yujing", reason: "verified: \(detail)", nowMillis: Self.now())
            logger.notice(
                "withdrawal verified", metadata: ["withdrawal.id": "\(withdrawal.id)", "verification": "\(detail)"])
        } else if now - withdrawal.updatedMillis > Int64(configuration.response.verifyDeadlineSeconds) * 1000,
            !raisedVerificationWarning.contains(withdrawal.id)
        {
            raisedVerificationWarning.insert(withdrawal.id)
            await raise(
                rule: "response.withdrawal-unverified", title: "A withdrawn dataset is still served", level: .I,
                dataset: withdrawal.dataset,
                summary: "Withdrawal \(withdrawal.id) of \(withdrawal.dataset) is not verified after \(configuration.response.verifyDeadlineSeconds) s: \(detail)",
                key: "withdrawal-\(withdrawal.id)")
        }
    }

    /// Whether some agent has reported quarantining the withdrawal's files.
    func agentsConfirmed(_ withdrawal: WithdrawalRecord) -> Bool {
        let reports = (try? database.enforcementReports()) ?? []
        return reports.contains { stored in
            guard let report = try? JSONDecoder().decode(EnforcementReport.self, from: Data(stored.detail.utf8)) else {
                return false
            }
            return (report.withdrawals ?? []).contains { $0.id == withdrawal.id && $0.status == "done" }
        }
    }

    /// Raises a warning about the response itself (a measure failed or is unverified) through the pipeline.
    func raise(rule: String, title: String, level: WarningLevel, dataset: String?, summary: String, key: String) async {
        var labels = ["category": "response"]
        if let dataset { labels["dataset"] = dataset }
        let signal = WarningSignal(
            ruleID: rule, title: title, level: level, isEscalation: false, labels: labels,
            annotations: ["summary": summary], startsAtMillis: Self.now(), count: 1, value: 1,
            fingerprint: Self.fingerprint(rule, key), evidence: summary)
        await pipeline?.raise(signal)
    }

    static func fingerprint(_ rule: String, _ key: String) -> String {
        let digest = SHA256.hash(data: Array("\(rule)\u{1F}\(key)".utf8))
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Enforcement document

    /// What agents enforce now: blocked datasets, recently restored ones, restrictions in force (drills excluded).
    /// - Returns: The document with its version (a hash of the content).
    /// - Throws: ``StoreError``.
    public func enforcementDocument() throws -> EnforcementDocument {
        let catalogue = Dictionary(uniqueKeysWithValues: try database.datasets().map { ($0.id, $0) })
        func entry(_ w: WithdrawalRecord) -> EnforcementDocument.Withdrawal {
            EnforcementDocument.Withdrawal(
                id: w.id, dataset: w.dataset, url_patterns: catalogue[w.dataset]?.urlPatterns ?? [])
        }
        // Real measures, and those of live (approved) drills in progress.
        let live = try database.liveDrills()
        let all = try database.withdrawals(limit: 10_000).filter { $0.drill.map(live.contains) ?? true }
        let blocking = all.filter { $0.state.blocksAccess && $0.state != .approved }
        let blockedDatasets = Set(blocking.map(\.dataset))
        let restored = all.filter {
            $0.state == .restored && !blockedDatasets.contains($0.dataset)
                && $0.updatedMillis > Self.now() - 7 * 86_400_000
        }
        let restrictions = try database.restrictions(states: [.active], limit: 100_000)
            .filter { $0.measure.isEnforced && ($0.drill.map(live.contains) ?? true) }
            .map {
                EnforcementDocument.Restriction(
                    id: $0.id, subject_kind: $0.subjectKind.rawValue, subject: $0.subject, measure: $0.measure.rawValue,
                    rate_per_minute: $0.ratePerMinute, until: $0.untilMillis.map(Self.iso))
            }
        var document = EnforcementDocument(
            version: "", withdrawals: blocking.map(entry).sorted { $0.id < $1.id },
            restored: restored.map(entry).sorted { $0.id < $1.id }, restrictions: restrictions.sorted { $0.id < $1.id })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(document)) ?? Data()
        document.version = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        return document
    }

    /// Records an agent's enforcement report; a failed nginx apply raises a warning.
    /// - Parameters:
    ///   - report: The report.
    ///   - raw: Its JSON.
    /// - Throws: ``StoreError``.
    public func record(_ report: EnforcementReport, raw: String) async throws {
        let now = Self.now()
        let previous = try database.saveEnforcementReport(
            EnforcementReportRecord(
                agent: report.agent, version: report.version, receivedMillis: now, nginxStatus: report.nginx?.status ?? "disabled",
                nginxError: report.nginx?.error, detail: raw), nowMillis: now)
        if report.nginx?.status == "failed",
            previous?.nginxStatus != "failed" || previous?.version != report.version
        {
            logger.error(
                "agent could not apply the nginx include",
                metadata: ["agent": "\(report.agent)", "enforcement.version": "\(report.version)"])
            await raise(
                rule: "response.enforcement-failed", title: "An agent could not apply the nginx enforcement include",
                level: .II, dataset: nil,
                summary: "Agent \(report.agent) kept its previous nginx configuration: \(report.nginx?.error ?? "nginx -t failed")",
                key: "agent-\(report.agent)")
        }
        for item in report.withdrawals ?? [] where item.status == "failed" {
            logger.error(
                "agent could not quarantine a dataset", metadata: ["agent": "\(report.agent)", "withdrawal.id": "\(item.id)"])
        }
    }
}

/// The document agents poll (`GET /api/v1/enforcement`).
public struct EnforcementDocument: Codable, Sendable, Equatable {
    /// A withdrawn (or restored) dataset.
    public struct Withdrawal: Codable, Sendable, Equatable {
        var id: Int64
        var dataset: String
        var url_patterns: [String]
    }

    /// A restriction in force.
    public struct Restriction: Codable, Sendable, Equatable {
        var id: Int64
        var subject_kind: String
        var subject: String
        var measure: String
        var rate_per_minute: Int?
        var until: String?
    }

    /// Content hash.
    public var version: String
    var withdrawals: [Withdrawal]
    var restored: [Withdrawal]
    var restrictions: [Restriction]
}

/// An agent's report (`POST /api/v1/enforcement/report`).
public struct EnforcementReport: Codable, Sendable {
    struct Nginx: Codable, Sendable {
        var status: String
        var error: String?
    }

    struct Item: Codable, Sendable {
        var id: Int64
        var dataset: String?
        var files_moved: Int?
        var status: String
        var error: String?
    }

    var agent: String
    var version: String
    var nginx: Nginx?
    var withdrawals: [Item]?
    var restored: [Item]?
}
