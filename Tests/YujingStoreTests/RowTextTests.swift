import GRDB
import GRDBSQLite
import Testing

@testable import YujingStore

/// `RowText`: texts bound from one reused buffer, with SQLite's copy as the fallback beyond its capacity.
@Suite struct RowTextTests {
    @Test func reservedOverflowingAndEmptyTextsAllArriveIntact() throws {
        let queue = try DatabaseQueue()
        let rows = try queue.write { db -> [[String?]] in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT)")
            let statement = try db.makeStatement(sql: "INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)")
            let sqlite = statement.sqliteStatement
            var text = RowText(capacity: 4)
            let wide = String(repeating: "中文数据集", count: 8)  // 120 bytes
            let long = String(repeating: "a longer first text ", count: 10)  // 200 bytes
            let samples: [(String, String, String)] = [
                ("abc", wide, ""),  // the second does not fit in the 64-byte buffer: SQLite copies it
                (long, "x", "yz"),  // the first does not fit either; the next ones do
                ("", "", ""),
            ]
            for (a, b, c) in samples {
                sqlite3_reset(sqlite)
                sqlite3_clear_bindings(sqlite)
                text.startRow()
                try text.bind(a, sqlite, 1)
                try text.bind(b, sqlite, 2)
                try text.bind(c, sqlite, 3)
                #expect(sqlite3_step(sqlite) == SQLITE_DONE)
            }
            sqlite3_reset(sqlite)
            sqlite3_clear_bindings(sqlite)
            return try Row.fetchAll(db, sql: "SELECT a, b, c, d FROM t ORDER BY rowid").map { [$0[0], $0[1], $0[2], $0[3]] }
        }
        #expect(
            rows == [
                ["abc", String(repeating: "中文数据集", count: 8), "", nil],
                [String(repeating: "a longer first text ", count: 10), "x", "yz", nil], ["", "", "", nil],
            ])
    }
}
