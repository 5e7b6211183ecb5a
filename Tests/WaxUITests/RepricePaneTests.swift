import Foundation
import Testing
import WaxStore
@testable import WaxUI
import WaxTestSupport

/// `R` in the browser: a rule over the list on show, previewed, sent only on `y` (issue 20).
@Suite struct RepricePaneTests {
    func type(_ text: String, _ session: Session) throws {
        for character in text { try session.handle(.character(character)) }
    }

    @Test func aRuleOverTheFilteredListIsPreviewedThenRecordedAsARun() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        try withExtendedLifetime(dir) {
            let session = try Browsers.session(inventory, user: "alice", columns: 120, rows: 35)
            try session.handle(.character("/"))
            try type("björk", session)
            try session.handle(.enter)
            let shown = session.state.total
            #expect(shown >= 1)
            try session.handle(.character("R"))
            #expect(session.state.overlay == .reprice && session.frame.text.contains("Reprice \(shown) listing"))
            try type("+ten", session)
            try session.handle(.enter)
            #expect(session.state.reprice?.plan == nil && session.frame.text.contains("a rule: +10%"))
            try session.handle(.control("u"))
            try type("+10% .99", session)
            try session.handle(.enter)
            let plan = try #require(session.state.reprice?.plan)
            #expect(plan.items.count == shown && plan.up == shown)
            #expect(session.frame.text.contains("\(shown) listing\(shown == 1 ? "" : "s") change: \(shown) up") && session.frame.text.contains("y sends"))
            #expect(try inventory.reprice.runs().isEmpty, "nothing recorded before y")
            try session.handle(.character("y"))
            let run = try #require(try inventory.reprice.runs().first)
            #expect(run.user == "alice" && run.rule == "+10%, rounded .99" && run.total == shown && run.method == .edits)
            #expect(session.state.overlay == .none && session.state.message?.contains("reprice run \(run.id)") == true)
            #expect(session.frame.text.contains("reprice run \(run.id): \(shown) of \(shown) waiting"))
        }
    }
}
