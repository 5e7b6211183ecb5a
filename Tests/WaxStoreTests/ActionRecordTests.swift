import Foundation
import GRDB
import Testing
@testable import WaxStore
import WaxTestSupport

/// The outbox's rows read back exactly, or not at all (issue 18): an unknown kind had read as a
/// reprice and an unknown state as a failure.
@Suite struct ActionRecordTests {
    private func mirrorWithOneSale() throws -> (InventoryService, TemporaryDirectory, CounterAction) {
        let (inventory, dir) = try ShopFixture.mirror()
        let sale = try inventory.outbox.enqueue(ActionRequest(.sell, listingID: ShopFixture.listingID(0)), user: "alice")
        return (inventory, dir, sale)
    }

    @Test func everyKindAndStateReadsBackAsItWasWritten() throws {
        let (inventory, dir, sale) = try mirrorWithOneSale()
        defer { withExtendedLifetime(dir) {} }
        let read = try #require(try inventory.outbox.action(id: sale.id))
        #expect(read.kind == .sell && read.state == .queued && read.target == .listing(ShopFixture.listingID(0)) && read.user == "alice")
        #expect(read.change == sale.change && read.expected == sale.expected)
        for kind in ActionKind.allCases {
            for state in ActionState.allCases {
                var action = sale
                action.kind = kind
                action.state = state
                switch kind.spec.target {
                case .listing: action.target = .listing(ShopFixture.listingID(0))
                case .order: action.target = .order("1-1")
                case .run: action.target = .run(7)
                }
                let row = try ActionRow(action)
                #expect(try row.action().kind == kind && row.action().state == state && row.action().target == action.target)
            }
        }
    }

    @Test(arguments: [("kind", "'mark-damaged'", "unknown kind \"mark-damaged\""),
                      ("listing_id", "NULL", "a sell without its listing"),
                      ("change", "'{not json'", "its fields are not readable JSON")])
    func aRowNoWaxKnowsIsAnErrorNamingIt(column: String, value: String, problem: String) throws {
        let (inventory, dir, sale) = try mirrorWithOneSale()
        defer { withExtendedLifetime(dir) {} }
        try inventory.database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET \(column) = \(value) WHERE id = ?", arguments: [sale.id])
        }
        #expect { try inventory.outbox.action(id: sale.id) } throws: { error in
            guard let unreadable = error as? UnreadableAction else { return false }
            return unreadable.id == sale.id && "\(unreadable)".contains(problem) && "\(unreadable)".contains("#\(sale.id)")
        }
    }

    /// The schema refuses a state it does not know; a row read from elsewhere is refused too.
    @Test func anUnknownStateIsAnErrorNamingTheRow() throws {
        let (inventory, dir, sale) = try mirrorWithOneSale()
        defer { withExtendedLifetime(dir) {} }
        var row = try ActionRow(sale)
        row.state = "parked"
        #expect { try row.action() } throws: { "\($0)" == "outbox row #\(sale.id) can't be read: unknown state \"parked\" (written by a newer wax?)" }
        _ = inventory
    }
}
