import GRDB
import YujingCore

extension YujingDatabase {
    /// Inserts or replaces a catalogue dataset.
    /// - Parameter dataset: The dataset.
    /// - Throws: ``StoreError``.
    public func upsertDataset(_ dataset: DatasetRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO dataset (id, title, owner_agency, open_category, url_patterns, file_paths,
                    public_url, drill) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    dataset.id, dataset.title, dataset.ownerAgency, dataset.openCategory.rawValue,
                    Self.jsonText(dataset.urlPatterns), Self.jsonText(dataset.filePaths), dataset.publicURL,
                    dataset.drill,
                ])
        }
    }

    /// The catalogue.
    /// - Parameter includeDrills: Whether datasets created by running drills are included (the engine's scope
    ///   checks need them; listings do not).
    /// - Returns: Datasets by id.
    /// - Throws: ``StoreError``.
    public func datasets(includeDrills: Bool = true) throws(StoreError) -> [DatasetRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, title, owner_agency, open_category, url_patterns, file_paths, public_url, drill FROM dataset
                    \(includeDrills ? "" : "WHERE drill IS NULL") ORDER BY id
                    """
            ).map { row in
                DatasetRecord(
                    id: row[0], title: row[1], ownerAgency: row[2],
                    openCategory: OpenCategory(rawValue: row[3]) ?? .unconditional, urlPatterns: Self.jsonArray(row[4]),
                    filePaths: Self.jsonArray(row[5]), publicURL: row[6], drill: row[7])
            }
        }
    }

    /// Records an approved application.
    /// - Parameter application: The application.
    /// - Throws: ``StoreError/invalid(_:)`` when the validity period is empty.
    public func addApplication(_ application: ApprovedApplication) throws(StoreError) {
        guard application.validToMillis > application.validFromMillis else { throw .invalid("empty validity period") }
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO approved_application (subject, dataset, purpose, scenario, valid_from_ms, valid_to_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    application.subject, application.dataset, application.purpose, application.scenario,
                    application.validFromMillis, application.validToMillis,
                ])
        }
    }

    /// All approved applications.
    /// - Returns: Applications.
    /// - Throws: ``StoreError``.
    public func applications() throws(StoreError) -> [ApprovedApplication] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT subject, dataset, purpose, scenario, valid_from_ms, valid_to_ms FROM approved_application"
            ).map { row in
                ApprovedApplication(
                    subject: row[0], dataset: row[1], purpose: row[2], scenario: row[3], validFromMillis: row[4],
                    validToMillis: row[5])
            }
        }
    }

    /// Inserts or replaces a subject.
    /// - Parameter subject: The subject.
    /// - Throws: ``StoreError``.
    public func upsertSubject(_ subject: SubjectRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO subject (id, kind, name, organisation, restricted_from_ms, restricted_until_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    subject.id, subject.kind, subject.name, subject.organisation, subject.restrictedFromMillis,
                    subject.restrictedUntilMillis,
                ])
        }
    }

    /// All subjects.
    /// - Returns: Subjects.
    /// - Throws: ``StoreError``.
    public func subjects() throws(StoreError) -> [SubjectRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, kind, name, organisation, restricted_from_ms, restricted_until_ms FROM subject ORDER BY id"
            ).map { row in
                SubjectRecord(
                    id: row[0], kind: row[1], name: row[2], organisation: row[3], restrictedFromMillis: row[4],
                    restrictedUntilMillis: row[5])
            }
        }
    }
}
