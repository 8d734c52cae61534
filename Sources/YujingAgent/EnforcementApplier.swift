import Foundation
import Logging

/// Applies enforcement documents on this node without any HTTP: quarantine moves for withdrawals and
/// restorations, then the nginx includes (rendered, swapped atomically, tested, reloaded). What was done per
/// withdrawal id is kept in `<checkpoint_dir>/enforcement.json`, so applying the same withdrawal again (a new
/// document version, or a restart) moves nothing and reports the files moved the first time.
public actor EnforcementApplier {
    let agentName: String
    let enforcement: EnforcementConfiguration
    let quarantine: Quarantine
    let renderer: NginxRenderer?
    let nginx: NginxIncludeApplier?
    let statePath: String
    let metrics: AgentMetrics
    let logger: Logger
    var state: State
    /// The last document applied, re-rendered as restrictions expire.
    var document: EnforcementDocument?
    /// The include texts last handed to nginx (whatever the outcome).
    var lastRendered: NginxRenderer.Rendering?

    /// Per withdrawal id: the dataset, the files moved so far and whether every file was moved.
    struct Entry: Codable, Equatable, Sendable {
        var dataset: String
        var moved: Int
        var done: Bool
    }

    struct State: Codable, Equatable, Sendable {
        var withdrawals: [String: Entry] = [:]
        var restorations: [String: Entry] = [:]
    }

    /// Creates an applier.
    /// - Parameters:
    ///   - configuration: The agent configuration; its `enforcement` must be set.
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    /// - Throws: ``AgentError/configuration(file:line:reason:)`` without an `enforcement` section.
    public init(configuration: AgentConfiguration, metrics: AgentMetrics, logger: Logger) throws(AgentError) {
        guard let enforcement = configuration.enforcement else {
            throw .configuration(file: "", line: 0, reason: "no 'enforcement' section")
        }
        agentName = configuration.name
        self.enforcement = enforcement
        quarantine = Quarantine(directory: enforcement.quarantineDirectory, sources: configuration.datasets)
        renderer = enforcement.nginx.map(NginxRenderer.init(settings:))
        nginx = enforcement.nginx.map(NginxIncludeApplier.init(settings:))
        statePath = configuration.checkpointDirectory + "/enforcement.json"
        self.metrics = metrics
        self.logger = logger
        state =
            FileManager.default.contents(atPath: statePath).flatMap { try? JSONDecoder().decode(State.self, from: $0) }
            ?? State()
    }

    /// Applies a document: restorations, withdrawals, then nginx.
    /// - Parameters:
    ///   - document: The document.
    ///   - now: The current time (expired restrictions are not rendered; the report's `applied_at`).
    /// - Returns: The report for the center.
    public func apply(_ document: EnforcementDocument, now: Date) async -> EnforcementReport {
        metrics.add(.enforcementApplies)
        let withdrawnDatasets = Set(document.withdrawals.map(\.dataset))
        var restored: [EnforcementReport.DatasetOutcome] = []
        for item in document.restored {
            let key = String(item.id)
            var entry = state.restorations[key] ?? Entry(dataset: item.dataset, moved: 0, done: false)
            var failures: [String] = []
            let acted = !entry.done
            // A dataset withdrawn again under a newer withdrawal keeps its files in quarantine.
            if acted && enforcement.restoreFiles && !withdrawnDatasets.contains(item.dataset) {
                let outcome = quarantine.restore(dataset: item.dataset)
                entry.moved += outcome.moved
                failures = outcome.failures
                metrics.add(.filesRestored, Int64(outcome.moved))
                metrics.add(.quarantineFailures, Int64(failures.count))
            }
            entry.done = failures.isEmpty
            state.restorations[key] = entry
            state.withdrawals[key] = nil
            restored.append(outcome(id: item.id, dataset: item.dataset, entry: entry, failures: failures))
            if acted { log("dataset restored", item, entry, failures) }
        }
        var withdrawals: [EnforcementReport.DatasetOutcome] = []
        for item in document.withdrawals {
            let key = String(item.id)
            var entry = state.withdrawals[key] ?? Entry(dataset: item.dataset, moved: 0, done: false)
            var failures: [String] = []
            let acted = !entry.done
            if acted {
                let outcome = quarantine.withdraw(dataset: item.dataset)
                entry.moved += outcome.moved
                failures = outcome.failures
                metrics.add(.filesQuarantined, Int64(outcome.moved))
                metrics.add(.quarantineFailures, Int64(failures.count))
            }
            entry.done = failures.isEmpty
            state.withdrawals[key] = entry
            withdrawals.append(outcome(id: item.id, dataset: item.dataset, entry: entry, failures: failures))
            if acted { log("dataset withdrawn", item, entry, failures) }
        }
        let ids = Set(document.withdrawals.map { String($0.id) } + document.restored.map { String($0.id) })
        state.withdrawals = state.withdrawals.filter { ids.contains($0.key) }
        state.restorations = state.restorations.filter { ids.contains($0.key) }
        saveState()
        self.document = document
        let nginxOutcome = await applyNginx(document, now: now, force: true)
        let report = EnforcementReport(
            agent: agentName, version: document.version, appliedAt: now, nginx: nginxOutcome,
            withdrawals: withdrawals, restored: restored)
        logger.info(
            "enforcement document applied",
            metadata: [
                "enforcement.version": "\(document.version)", "nginx.status": "\(nginxOutcome.status.rawValue)",
                "enforcement.withdrawals": "\(withdrawals.count)", "enforcement.restored": "\(restored.count)",
                "enforcement.restrictions": "\(document.restrictions.count)",
                "enforcement.failed": "\(report.hasFailures)",
            ])
        return report
    }

    /// Re-renders the last document as time passes (a restriction whose `until` passed is lifted even while
    /// the center is unreachable); does nothing when the text is what was last rendered.
    /// - Parameter now: The current time.
    /// - Returns: The nginx outcome, or nil when nothing changed.
    @discardableResult
    public func refresh(now: Date) async -> EnforcementReport.NginxOutcome? {
        guard let document, renderer != nil else { return nil }
        return await applyNginx(document, now: now, force: false)
    }

    func applyNginx(_ document: EnforcementDocument, now: Date, force: Bool) async -> EnforcementReport.NginxOutcome {
        guard let renderer, let nginx else { return .init(status: .disabled) }
        let rendering = renderer.render(document, now: now)
        if !force, let lastRendered, lastRendered.http == rendering.http, lastRendered.server == rendering.server {
            return .init(status: .unchanged)
        }
        for skip in rendering.skipped where !(lastRendered?.skipped.contains(skip) ?? false) {
            logger.info(
                "enforcement entry not rendered for nginx",
                metadata: [
                    "enforcement.entry": "\(skip.kind)", "enforcement.id": "\(skip.id)", "reason": "\(skip.reason)",
                ])
        }
        lastRendered = rendering
        let outcome = await nginx.apply(http: rendering.http, server: rendering.server)
        switch outcome.status {
        case .applied:
            metrics.add(.nginxReloads)
            logger.info(
                "nginx includes applied and reloaded",
                metadata: ["enforcement.version": "\(document.version)", "nginx.status": "applied"])
        case .failed:
            metrics.add(.nginxFailures)
            logger.info(
                "nginx includes rolled back",
                metadata: [
                    "enforcement.version": "\(document.version)", "nginx.status": "failed",
                    "nginx.error": "\(outcome.error ?? "")",
                ])
        case .unchanged, .disabled:
            break
        }
        return outcome
    }

    func outcome(id: Int64, dataset: String, entry: Entry, failures: [String]) -> EnforcementReport.DatasetOutcome {
        EnforcementReport.DatasetOutcome(
            id: id, dataset: dataset, filesMoved: entry.moved, status: failures.isEmpty ? .done : .failed,
            error: failures.isEmpty ? nil : failures.prefix(5).joined(separator: "; "))
    }

    func log(_ message: Logger.Message, _ item: EnforcementDocument.Withdrawal, _ entry: Entry, _ failures: [String]) {
        logger.info(
            message,
            metadata: [
                "dataset.id": "\(item.dataset)", "withdrawal.id": "\(item.id)", "files.moved": "\(entry.moved)",
                "files.failed": "\(failures.count)",
            ])
    }

    func saveState() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(state) else { return }
        do throws(AgentError) {
            try FileIO.makeDirectory((statePath as NSString).deletingLastPathComponent)
            try FileIO.writeAtomically(Array(data), to: statePath, durable: true)
        } catch {
            logger.info("enforcement state not saved", metadata: ["reason": "\(error)"])
        }
    }
}
