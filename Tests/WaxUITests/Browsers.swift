import Foundation
import WaxStore
@testable import WaxUI
import WaxTestSupport

/// A browser on a mirror as staff member `user` sees it, at the fixture's fixed time.
enum Browsers {
    static func session(_ inventory: InventoryService, user: String = "alice", columns: Int = 80, rows: Int = 24,
                        availability: CounterAvailability = .on) throws -> Session {
        try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: columns, rows: rows, syncAvailable: false,
                    time: .utc, counter: CounterAccess(user: user, availability: availability), now: { ShopFixture.now })
    }
}
