import GRDB
import GRDBSQLite

/// Steps a statement through the C API, for the few loops over a whole shop.
enum SQLiteRows {
    static func step(_ db: Database, sql: String, arguments: StatementArguments = [], _ body: (OpaquePointer) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            try body(handle)
        }
    }

    /// A text column of the current row ("" for NULL).
    static func text(_ handle: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: bytes)
    }
}

// Statuses are text in the database: each converts in one place.
extension ListingStatus: DatabaseValueConvertible {}
extension OrderStatus: DatabaseValueConvertible {}
