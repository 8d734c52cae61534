import Foundation
import YujingCore
import YujingDetectors
import YujingFormats
import YujingResponse

/// Builds the events of a drill's injections, as a synthetic agent sends them to `POST /api/v1/ingest`. Every event
/// carries the drill id; a dataset release is a real file with planted identifiers (valid check characters) that
/// the real detector scans, and only its masked findings and keyed hashes are sent.
struct DrillInjector {
    let drill: String
    let startMillis: Int64
    var generator = SystemRandomNumberGenerator()

    /// A resident ID with a valid ISO 7064 MOD 11-2 check character.
    static func residentID(area: String, birth: String, serial: Int) -> String {
        let body = area + birth + String(format: "%03d", serial % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// A card number with a valid Luhn check digit.
    static func bankCard(prefix: String, length: Int, body: Int) -> String {
        var digits = prefix + String(format: "%0\(length - prefix.count - 1)d", body)
        let values = digits.compactMap { Int(String($0)) }
        var sum = 0
        for (index, value) in values.reversed().enumerated() {
            var v = value
            if index % 2 == 0 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        digits += String((10 - sum % 10) % 10)
        return digits
    }

    /// Writes a CSV with the planted identifiers.
    mutating func releaseFile(_ injection: DrillInjection, in directory: String, name: String? = nil) throws -> String {
        let rows = injection.identifiers.values.max() ?? 1
        let areas = ["110105", "310104", "440305", "330106", "510107"]
        var text = "序号,姓名,身份证号,手机号码,银行卡号,备注\n"
        for index in 0..<rows {
            let year = 1960 + Int.random(in: 0...40, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator)
            let id =
                index < injection.identifiers["cn_resident_id", default: 0]
                ? Self.residentID(
                    area: areas[index % areas.count], birth: String(format: "%04d%02d%02d", year, month, day),
                    serial: Int.random(in: 0...999, using: &generator)) : ""
            let mobile =
                index < injection.identifiers["cn_mobile", default: 0]
                ? "139" + String(format: "%08d", Int.random(in: 10_000_000...99_999_999, using: &generator)) : ""
            let card =
                index < injection.identifiers["bank_card", default: 0]
                ? Self.bankCard(prefix: "62220210", length: 19, body: Int.random(in: 0...9_999_999_999, using: &generator))
                : ""
            text += "\(index + 1),演练人员\(index + 1),\(id),\(mobile),\(card),drill\n"
        }
        let path = (directory as NSString).appendingPathComponent(name ?? "\(injection.dataset ?? "drill")-release.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func time(_ injection: DrillInjection, _ index: Int) -> Int64 {
        if injection.overMillis > 0 {
            // Spread evenly over the `over` period that ends at `at` (in the past: event time).
            let step = injection.overMillis / Int64(max(1, injection.count))
            return startMillis + injection.atMillis - injection.overMillis + Int64(index) * step
        }
        return startMillis + injection.atMillis + Int64(index) * injection.spacingMillis
    }

    func access(
        _ injection: DrillInjection, _ index: Int, path: String, dataset: String?, status: Int, ip: String,
        subject: String?, channel: String?
    ) -> [String: Any] {
        var event: [String: Any] = [
            "type": "access", "time": time(injection, index), "node": "drill", "ip": ip, "method": "GET", "path": path,
            "status": status, "bytes": 2048, "user_agent": "yujing-drill/1", "drill": drill,
        ]
        if let dataset { event["dataset"] = dataset }
        if let channel { event["channel"] = channel }
        if let subject {
            event["subject"] = subject
            event["subject_kind"] = "app_key"
        }
        return event
    }

    /// An access event as an nginx "combined" log line, the drill id in a `yujing_drill` query parameter (the
    /// shared log parser stamps it on the event) and the subject in `appKey`.
    static func combinedLine(_ event: [String: Any]) -> String? {
        guard event["type"] as? String == "access", let time = event["time"] as? Int64,
            let path = event["path"] as? String, let drill = event["drill"] as? String
        else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        let stamp = formatter.string(from: Date(timeIntervalSince1970: Double(time) / 1000))
        var query = "yujing_drill=\(drill)"
        if let subject = event["subject"] as? String { query = "appKey=\(subject)&" + query }
        let ip = event["ip"] as? String ?? "-"
        let status = event["status"] as? Int ?? 200
        let bytes = event["bytes"] as? Int ?? 0
        return "\(ip) - - [\(stamp)] \"GET \(path)?\(query) HTTP/1.1\" \(status) \(bytes) \"-\" \"yujing-drill/1\""
    }

    /// The events of one injection.
    mutating func events(for injection: DrillInjection, scratch: String) throws -> [[String: Any]] {
        switch injection.kind {
        case .datasetRelease:
            let dataset = injection.dataset ?? "drill-dataset"
            let path = try releaseFile(injection, in: scratch)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var key = [UInt8](repeating: 0, count: 32)
            for index in key.indices { key[index] = UInt8.random(in: 0...255, using: &generator) }
            let day = ScanCommand.currentDay()
            let detector = IdentifierDetector(configuration: DetectorConfiguration(today: day), key: key)
            var samples: [IdentifierKind: [String]] = [:]
            var hashes: [IdentifierKind: Set<String>] = [:]
            let result = DatasetScanner(detector: detector).scan(path: path) { finding in
                if samples[finding.kind, default: []].count < 5 { samples[finding.kind, default: []].append(finding.masked) }
                if hashes[finding.kind, default: []].count < 1000 { hashes[finding.kind, default: []].insert(finding.hash) }
            }
            let file = "\(dataset)-release.csv"
            var events: [[String: Any]] = result.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { kind, count in
                [
                    "type": "finding", "time": time(injection, 0), "dataset": dataset, "file": file,
                    "kind": kind.rawValue, "count": count, "masked_samples": samples[kind] ?? [],
                    "keyed_hashes": (hashes[kind] ?? []).sorted(), "drill": drill,
                ]
            }
            events.append([
                "type": "finding", "time": time(injection, 0), "dataset": dataset, "file": file,
                "kind": result.findingCount == 0 ? "scan_clean" : "scan_complete", "count": result.findingCount,
                "masked_samples": [], "keyed_hashes": [], "drill": drill,
            ])
            return events
        case .downloads:
            return (0..<injection.count).map { index in
                let dataset =
                    injection.datasets > 1
                    ? "\(injection.dataset ?? "drill-ds")-\(index % injection.datasets)" : injection.dataset
                return access(
                    injection, index, path: "/datasets/\(dataset ?? "x")/files/data.csv", dataset: dataset, status: 200,
                    ip: injection.address, subject: injection.subject, channel: "download")
            }
        case .conditionalAccess:
            return (0..<injection.count).map { index in
                access(
                    injection, index, path: "/api/v1/datasets/\(injection.dataset ?? "x")/records", dataset: injection.dataset,
                    status: 200, ip: injection.address, subject: injection.subject, channel: "api")
            }
        case .keySharing:
            return (0..<injection.count).map { index in
                let ip = "203.0.113.\(1 + index % min(injection.addresses, 250))"
                return access(
                    injection, index, path: "/api/v1/datasets/\(injection.dataset ?? "drill-open")/records",
                    dataset: injection.dataset ?? "drill-open", status: 200, ip: ip, subject: injection.subject, channel: "api")
            }
        case .bruteForce:
            return (0..<injection.count).map { index in
                access(
                    injection, index, path: "/api/v1/login", dataset: nil, status: 401, ip: injection.address,
                    subject: nil, channel: nil)
            }
        case .heartbeatGap:
            // Heartbeats that stop `silence` before the drill's start, then one from a clock agent at the start: the
            // drill's engine runs on event time, so ten minutes of silence take no ten minutes.
            let lastBeat = startMillis + injection.atMillis - injection.silenceMillis
            var events: [[String: Any]] = (0..<injection.count).map { index in
                [
                    "type": "heartbeat", "time": lastBeat - Int64(injection.count - 1 - index) * injection.spacingMillis,
                    "agent": injection.agent, "node": injection.agent, "drill": drill,
                ]
            }
            events.append([
                "type": "heartbeat", "time": startMillis + injection.atMillis, "agent": "\(injection.agent)-clock",
                "node": "drill", "drill": drill,
            ])
            return events
        }
    }
}
