import Foundation
import YujingCore
import YujingRules
import YujingStore

/// The catalogue file (`catalogue:` in the server configuration): datasets and approved applications, in YAML.
///
/// ```yaml
/// datasets:
///   - { id: bus-stops, title: 公交站点, owner_agency: 市交通局, open_category: unconditional,
///       url_patterns: ["/datasets/bus-stops/**"], public_url: "https://data.example/datasets/bus-stops/stops.csv" }
/// applications:
///   - { subject: ak-research-01, dataset: clinics, purpose: 医疗资源研究, scenario: sandbox,
///       valid_from: 2026-01-01, valid_to: 2026-12-31 }
/// ```
public struct CatalogueFile: Decodable, Sendable {
    /// A dataset entry.
    public struct Dataset: Decodable, Sendable {
        var id: String
        var title: String
        var owner_agency: String
        var open_category: OpenCategory
        var url_patterns: [String]?
        var file_paths: [String]?
        var public_url: String?

        var record: DatasetRecord {
            DatasetRecord(
                id: id, title: title, ownerAgency: owner_agency, openCategory: open_category,
                urlPatterns: url_patterns ?? [], filePaths: file_paths ?? [], publicURL: public_url)
        }
    }

    /// An approved application entry.
    public struct Application: Decodable, Sendable {
        var subject: String
        var dataset: String
        var purpose: String
        var scenario: String?
        var valid_from: String
        var valid_to: String
    }

    var datasets: [Dataset]?
    var applications: [Application]?

    /// Parses a day (`2026-01-01`, start of day UTC+8, the platform's zone) or an RFC 3339 time.
    /// - Parameters:
    ///   - text: The text.
    ///   - endOfDay: For a bare day, take the end of it.
    /// - Returns: Epoch ms, or nil.
    public static func millis(_ text: String, endOfDay: Bool = false) -> Int64? {
        if let date = try? Date(text, strategy: .iso8601) { return Int64(date.timeIntervalSince1970 * 1000) }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        guard let start = calendar.date(from: components), calendar.component(.day, from: start) == parts[2] else {
            return nil
        }
        let millis = Int64(start.timeIntervalSince1970 * 1000)
        return endOfDay ? millis + 86_400_000 - 1 : millis
    }

    /// Loads the file into the store (datasets upserted, applications added once).
    /// - Parameters:
    ///   - path: File path.
    ///   - database: Store.
    /// - Returns: Counts loaded.
    /// - Throws: ``ServerError/configuration(_:)`` with file and reason.
    @discardableResult
    public static func load(path: String, into database: YujingDatabase) throws(ServerError) -> (
        datasets: Int, applications: Int
    ) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .configuration("\(path): cannot read: \(error.localizedDescription)")
        }
        let file: CatalogueFile
        do throws(RuleError) {
            file = try YAMLConfiguration.decode(CatalogueFile.self, from: text, file: path)
        } catch {
            throw .configuration(error.description)
        }
        var applications: [ApprovedApplication] = []
        for (index, entry) in (file.applications ?? []).enumerated() {
            guard let from = millis(entry.valid_from), let to = millis(entry.valid_to, endOfDay: true), to > from else {
                throw .configuration("\(path): applications[\(index)]: valid_from/valid_to must be days or RFC 3339 times, from < to")
            }
            applications.append(
                ApprovedApplication(
                    subject: entry.subject, dataset: entry.dataset, purpose: entry.purpose, scenario: entry.scenario,
                    validFromMillis: from, validToMillis: to))
        }
        do {
            for dataset in file.datasets ?? [] { try database.upsertDataset(dataset.record) }
            for application in applications { try database.addApplication(application) }
        } catch {
            throw .store(error.description)
        }
        return (file.datasets?.count ?? 0, applications.count)
    }
}
