import Foundation
import Logging
import ServiceLifecycle
import YujingCore
import YujingResponse
import YujingRules
import YujingStore

/// Regular drills (Art. 39): runs each `drills:` runbook when its cron schedule is due (as `yujing drill run`, a
/// child process of the daemon with a scheduler token that lives as long as the daemon), and raises a warning when
/// a drill fails or a due drill did not start within its grace period (overdue).
struct DrillScheduler: Service {
    struct Entry: Sendable {
        var configured: ScheduledDrill
        var cron: CronSchedule
        var drill: DrillRunbook
    }

    let entries: [Entry]
    let database: YujingDatabase
    let pipeline: Pipeline
    let configuration: ServerConfiguration
    let bound: BoundAddress
    let logger: Logger

    /// Validates the configured drills (schedules and runbooks) before the daemon starts.
    static func entries(_ configuration: ServerConfiguration) throws(ServerError) -> [Entry] {
        var entries: [Entry] = []
        for configured in configuration.drills {
            do {
                let cron = try CronSchedule(configured.schedule)
                let drill = try DrillRunbookLoader.load(path: configured.runbook)
                entries.append(Entry(configured: configured, cron: cron, drill: drill))
            } catch let error as RuleError {
                throw .configuration("drills: \(error)")
            } catch {
                throw .configuration("drills: \(configured.runbook): \(error)")
            }
        }
        return entries
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    var serverURL: String { bound.url(configuration) }

    func run() async throws {
        guard !entries.isEmpty else { return }
        let name = "drill-scheduler-\(ProcessInfo.processInfo.processIdentifier)-\(Self.now())"
        for token in (try? database.tokens()) ?? [] where token.name.hasPrefix("drill-scheduler-") && !token.revoked {
            try? database.revokeToken(name: token.name, actor: "yujing", nowMillis: Self.now())
        }
        let token: String
        do {
            token = try database.createToken(name: name, role: .ops, actor: "yujing", nowMillis: Self.now())
        } catch {
            logger.error("drill scheduler cannot create its token", metadata: ["error": "\(error)"])
            return
        }
        defer { try? database.revokeToken(name: name, actor: "yujing", nowMillis: Self.now()) }
        logger.info("drill scheduler started", metadata: ["drills.count": "\(entries.count)"])
        var handled: Set<String> = []
        let calendar = Calendar(identifier: .gregorian)
        while !Task.isShuttingDownGracefully {
            for entry in entries {
                let now = Date()
                guard let due = entry.cron.previous(atOrBefore: now, calendar: calendar) else { continue }
                let dueMillis = Int64(due.timeIntervalSince1970 * 1000)
                let key = "\(entry.drill.id)@\(dueMillis)"
                guard !handled.contains(key) else { continue }
                let lastStart = (try? database.drillRuns())?.first { $0.runbook == entry.drill.id }?.startedMillis ?? 0
                if lastStart >= dueMillis {
                    handled.insert(key)
                    continue
                }
                handled.insert(key)
                if Self.now() - dueMillis <= Int64(entry.configured.graceMinutes) * 60_000 {
                    await runDrill(entry, token: token)
                } else {
                    logger.warning("scheduled drill overdue", metadata: ["drill.runbook": "\(entry.drill.id)"])
                    await pipeline.raise(
                        signal(
                            rule: "drill.overdue", title: "A scheduled drill is overdue", level: .III,
                            runbook: entry.drill.id,
                            summary: "Drill \(entry.drill.id) (\(entry.cron)) was due at \(WarningView.time(dueMillis)) and did not run within \(entry.configured.graceMinutes) minutes.",
                            key: key))
                }
            }
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(max(1, configuration.drillCheckSeconds)))
                }
            } catch {
                break
            }
        }
    }

    func signal(rule: String, title: String, level: WarningLevel, runbook: String, summary: String, key: String)
        -> WarningSignal
    {
        WarningSignal(
            ruleID: rule, title: title, level: level, isEscalation: false,
            labels: ["category": "drill", "runbook": runbook], annotations: ["summary": summary],
            startsAtMillis: Self.now(), count: 1, value: 1, fingerprint: Responder.fingerprint(rule, key),
            evidence: summary)
    }

    /// Runs `yujing drill run RUNBOOK` against this daemon and warns when it does not pass.
    func runDrill(_ entry: Entry, token: String) async {
        logger.info("scheduled drill starting", metadata: ["drill.runbook": "\(entry.drill.id)"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.drillBinary)
        process.arguments = ["drill", "run", entry.configured.runbook]
        var environment = ProcessInfo.processInfo.environment
        environment["YUJING_SERVER"] = serverURL
        environment["YUJING_TOKEN"] = token
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: -1)
            }
        }
        let run = (try? database.drillRuns())?.first { $0.runbook == entry.drill.id }
        logger.info(
            "scheduled drill finished",
            metadata: ["drill.runbook": "\(entry.drill.id)", "drill.status": "\(run?.status ?? "?")", "exit": "\(status)"])
        if status != 0 || run?.status != "passed" {
            await pipeline.raise(
                signal(
                    rule: "drill.failed", title: "A scheduled drill failed", level: .III, runbook: entry.drill.id,
                    summary: "Drill \(entry.drill.id) \(run.map { "\($0.id) ended \($0.status)" } ?? "did not start") (exit \(status)).",
                    key: run?.id ?? "\(entry.drill.id)-\(Self.now())"))
        }
    }
}
