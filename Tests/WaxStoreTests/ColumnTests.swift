import Foundation
import GRDB
import Testing
@testable import WaxStore
import WaxTestSupport

/// The column declarations are the schema: every column of `listings` and `releases` is
/// declared once, and a write that binds the wrong number of values fails.
@Suite struct ColumnTests {
    @Test func theDeclaredColumnsAreTheTablesColumns() throws {
        let dir = TemporaryDirectory()
        let database = try dir.inventory().database
        #expect(Set(try database.columns(of: "listings")) == Set(ListingColumn.allCases.map(\.name)))
        #expect(Set(try database.columns(of: "releases")) == Set(ReleaseColumn.allCases.map(\.name)))
        for kind in FacetKind.allCases { #expect(ListingColumn.allCases.contains(kind.idColumn)) }
    }

    @Test func bindingTooFewOrTooManyValuesFailsLoudly() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(a, b)")
            var binder = SQLiteBinder(try db.makeStatement(sql: "INSERT INTO t(a, b) VALUES (?, ?)"))
            binder.bind(Int64(1))
            #expect(throws: DatabaseError.self) { try binder.run(db) }
            binder.bind(Int64(1)); binder.bind(Int64(2)); binder.bind(Int64(3))
            #expect(throws: DatabaseError.self) { try binder.run(db) }
            binder.bind(Int64(1)); binder.bind("two")
            try binder.run(db)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }
}
