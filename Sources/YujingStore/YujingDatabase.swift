import Foundation
import GRDB

/// The Yujing database: a `Sendable` value wrapping a GRDB writer, migrated when created.
///
/// Follows GRDB's `AppDatabase` pattern: intent-named reads and writes live in `YujingDatabase+*.swift`.
public struct YujingDatabase: Sendable {
    /// The underlying writer (a `DatabasePool` on disk, a `DatabaseQueue` in memory).
    public let writer: any DatabaseWriter
    /// Presence rows known to be committed (see ``PresenceCache``).
    let presence = PresenceCache()

    /// Wraps a writer and runs the migrations.
    /// - Parameters:
    ///   - writer: A GRDB database writer.
    ///   - willMigrate: Called with the migrations about to run on an existing database (not a new one), before they
    ///     run: an upgrade may take minutes on a large database.
    /// - Throws: ``StoreError/database(_:)`` when a migration fails.
    public init(_ writer: any DatabaseWriter, willMigrate: (([String]) -> Void)? = nil) throws(StoreError) {
        self.writer = writer
        do {
            if let willMigrate {
                let applied = try writer.read { try Self.migrator.appliedIdentifiers($0) }
                let pending = Self.migrator.migrations.filter { !applied.contains($0) }
                if !applied.isEmpty, !pending.isEmpty { willMigrate(pending) }
            }
            try Self.migrator.migrate(writer)
        } catch {
            throw .database("\(error)")
        }
    }

    /// Opens (creating if needed) a SQLite file in WAL mode and migrates it. The parent directory is created.
    /// - Parameters:
    ///   - path: File path.
    ///   - willMigrate: Called with the migrations about to run on an existing database, before they run.
    /// - Returns: The database.
    /// - Throws: ``StoreError/open(path:reason:)``.
    public static func open(path: String, willMigrate: (([String]) -> Void)? = nil) throws(StoreError) -> YujingDatabase {
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // 8 KiB pages for a new file (no effect on an existing one): ingest inserts into three indexes of
                // access_event, and bigger pages mean fewer splits and fewer levels (measured +7 % ingest).
                try db.execute(sql: "PRAGMA page_size = 8192")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 32 MiB of page cache per connection (SQLite's default is 2 MiB): ingest updates three indexes
                // of access_event at scattered places, and re-reading their pages from the OS showed in profiles.
                try db.execute(sql: "PRAGMA cache_size = -32768")
                // Checkpoint the WAL every 8,192 pages (32 MiB) rather than 1,000: each checkpoint runs inside a
                // commit and syncs the database file, and index pages rewritten by successive batches are then
                // copied back once instead of many times.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            return try YujingDatabase(pool, willMigrate: willMigrate)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
    }

    /// An in-memory database, for tests.
    /// - Returns: The database.
    /// - Throws: ``StoreError``.
    public static func inMemory() throws(StoreError) -> YujingDatabase {
        do {
            return try YujingDatabase(DatabaseQueue())
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// Runs a write, mapping GRDB errors to ``StoreError``.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// Runs a write outside of a transaction (the body opens its own), mapping GRDB errors to ``StoreError``.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// Runs a read, mapping GRDB errors to ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }
}
