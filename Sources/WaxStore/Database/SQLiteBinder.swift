import GRDB
import GRDBSQLite

/// Binds values straight onto a prepared statement and runs it, for the write loops that run
/// 100,000 times: GRDB's `StatementArguments` boxes every value in an existential first, which
/// was a third of a bulk import.
struct SQLiteBinder {
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 1

    /// SQLite copies the text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        self.statement = statement
        self.handle = statement.sqliteStatement
    }

    mutating func bind(_ value: String?) {
        defer { index += 1 }
        guard let value else { sqlite3_bind_null(handle, index); return }
        var copy = value
        copy.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), Self.transient)
        }
    }

    mutating func bind(_ value: Int64?) {
        defer { index += 1 }
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }
    mutating func bind(_ value: Bool?) { bind(value.map { $0 ? Int64(1) : 0 }) }

    mutating func bind(_ value: Double?) {
        defer { index += 1 }
        if let value, !value.isNaN { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: bind(nil as Int64?)
        case .int64(let integer): bind(integer)
        case .double(let real): bind(real)
        case .string(let text): bind(text)
        case .blob(let bytes):
            defer { index += 1 }
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    /// Runs the statement once with what was bound, then readies it for the next row. Binding
    /// fewer or more values than the statement has parameters is a bug, and fails loudly rather
    /// than writing a value into the wrong column.
    mutating func run(_ db: Database) throws {
        defer {
            sqlite3_reset(handle)
            index = 1
        }
        let parameters = sqlite3_bind_parameter_count(handle)
        guard index - 1 == parameters else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(index - 1) values bound to \(parameters) parameters", sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }
}
