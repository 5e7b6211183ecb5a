import Foundation
import Testing
import WaxPresentation
import WaxStore
import WaxSync
import WaxText
@testable import WaxUI
import WaxTestSupport

/// What made staff stop trusting the browser, each as it was seen (issue 9), on the fixture shop.
@Suite struct TrustTests {
    func withSession(_ columns: Int = 80, _ rows: Int = 24, empty: Bool = false, time: LocalTime = .utc,
                     _ body: (Session, SyncInbox, InventoryService) throws -> Void) throws {
        let dir = TemporaryDirectory()
        try withExtendedLifetime(dir) {
            let inventory = try dir.inventory()
            if !empty {
                let shop = ShopFixture.listings()
                _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: shop.listings, trigger: .test))
                try inventory.syncStore.storeReleases(shop.releases)
            }
            let inbox = SyncInbox()
            let session = try Session(inventory: inventory, runner: nil, inbox: inbox, shop: "freakinbeats", columns: columns, rows: rows,
                                      syncAvailable: true, configFile: "/srv/shop/config/wax/config", time: time, now: { ShopFixture.now })
            try body(session, inbox, inventory)
        }
    }

    @Test func gInTheDetailsScrollsTheDetailsAndEscBringsTheListBack() throws {
        try withSession { session, _, _ in
            try session.handle(.enter)
            try session.handle(.character("G"))
            #expect(session.state.cursor == 0, "G moved the list's cursor out of sight")
            #expect(session.frame.text.contains("Björk – Army Of Me"))
            #expect(!session.frame.text.contains("No listing selected"))
            try session.handle(.escape)
            let text = session.frame.text
            #expect(text.contains("Björk") && text.contains("Beenie Man"), "the list came back empty:\n\(text)")
        }
    }

    @Test func theHelpNeverCutsItsSentencesAndCoversWhatItOverlays() throws {
        // 200 columns: every sentence whole on its line.
        try withSession(200, 50) { session, _, _ in
            try session.handle(.character("?"))
            let lines = (0..<50).map { session.frame.line($0) }
            for spec in CommandRegistry.all {
                #expect(lines.contains { $0.contains(spec.help) }, "\"\(spec.help)\" is cut")
            }
        }
        // 120 columns: wrapped within its column, never cut (each half read top to bottom,
        // over every page when it scrolls).
        try withSession(120, 35) { session, _, _ in
            try session.handle(.character("?"))
            var halves = ["", ""]
            for _ in 0..<5 {
                let grid = session.frame
                for (n, range) in [0..<60, 60..<120].enumerated() {
                    halves[n] += " " + (0..<35).map { y in grid.cells[y][range].map(\.text).joined() }.joined(separator: " ")
                }
                try session.handle(.pageDown)
            }
            halves = halves.map { $0.split(separator: " ").joined(separator: " ") }
            for spec in CommandRegistry.all {
                #expect(halves.contains { $0.contains(spec.help) }, "\"\(spec.help)\" is cut")
            }
        }
        try withSession(80, 24) { session, _, _ in
            try session.handle(.character("?"))
            let grid = session.frame
            // Every cell of the box's rows is the overlay's (nothing of the list shows through).
            for y in 3...18 {
                #expect(grid.cells[y].allSatisfy { [.overlay, .overlayTitle, .hintKey].contains($0.role) }, "row \(y): \(grid.line(y))")
            }
        }
    }

    @Test func aNarrowHeaderShortensRatherThanOverlaps() throws {
        for columns in [40, 50, 55, 60, 70] {
            try withSession(columns, 20) { session, _, _ in
                try session.handle(.character("j"))
                let header = session.frame.line(0)
                #expect(header.contains("16 of 16 · row 2") || header.contains("16/16 #2"), "\(columns): \(header)")
                #expect(!header.contains("16sort") && !header.contains("6sort"), "\(columns): \(header)")
            }
        }
    }

    @Test func helpAndQuitAreTheLastHintsToGo() throws {
        try withSession(80, 24) { session, inbox, _ in
            inbox.post(.started(seller: "freakinbeats", trigger: .key))
            inbox.post(.page(3, of: 6, listings: 300))
            try session.tick()
            let status = session.frame.line(23)
            #expect(status.contains("? help") && status.contains("q quit"), "\(status)")
        }
    }

    @Test func aNewSortStartsAtItsTopAndSaysWhereTheCursorIs() throws {
        try withSession { session, _, _ in
            for _ in 0..<5 { try session.handle(.character("j")) }
            try session.handle(.character("o"))                        // price ↑
            #expect(session.state.cursor == 0)
            #expect(session.state.selected?.record.priceValue == 4.36)
            #expect(session.frame.line(0).contains("row 1"))
            try session.handle(.character("j"))
            #expect(session.frame.line(0).contains("row 2"))
        }
    }

    @Test func aListingSoldUnderTheCursorIsSaidToBeGone() throws {
        try withSession { session, _, inventory in
            try session.handle(.character("j"))
            let selected = try #require(session.state.selected)
            _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [selected.id: "sold"], trigger: .test))
            try session.forceChangeCheck()
            #expect(session.state.message == "坂本龍一 – 戦場のメリークリスマス left the list: sold (c shows what changed)")
            #expect(session.frame.text.contains("left the list: sold"))
        }
    }

    @Test func searchingFromTheFilterPaneRecountsAndGivesTheListBack() throws {
        // Side by side: the pane stays on show while the search is typed, and counts what it finds.
        try withSession(160, 40) { session, _, _ in
            try session.handle(.character("f"))
            try session.handle(.character("l"))                        // Genre
            #expect(session.state.facets[.genre].first { $0.value == "Electronic" }?.count == 7)
            try session.handle(.tab)                                   // to the list, the pane still on show
            try session.handle(.character("/"))
            for c in "deep" { try session.handle(.character(c)) }
            #expect(session.state.total == 3)
            #expect(session.state.facets[.genre].first { $0.value == "Electronic" }?.count == 3, "the counts went stale")
            #expect(session.frame.text.contains("Electronic") && !session.frame.text.contains(" 7\n"))
        }
        // One pane at a time: the list takes the screen back for the search.
        try withSession { session, _, _ in
            try session.handle(.character("f"))
            try session.handle(.tab)
            try session.handle(.character("/"))
            for c in "deep" { try session.handle(.character(c)) }
            try session.handle(.enter)
            #expect(!session.state.filterOpen && session.state.focus == .list)
            #expect(session.frame.text.contains("Moodymann"), "the filter pane is still drawn over the list")
        }
    }

    @Test func enterOnASoldChangeShowsItWithItsBin() throws {
        try withSession(100, 24) { session, _, inventory in
            let sold = ShopFixture.listings().listings[0]
            _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [sold.listingID: "sold"], trigger: .test))
            try session.forceChangeCheck()
            try session.handle(.character("c"))
            #expect(session.frame.text.contains("− sold") && session.frame.text.contains("A1"))
            try session.handle(.enter)
            let text = session.frame.text
            #expect(text.contains("Removed    sold"), "\(text)")
            #expect(text.contains("Location   A1") && text.contains("Army Of Me"))
        }
    }

    @Test func changesCollapseRepeatsAndCutNamesWithAnEllipsis() {
        func change(_ id: Int64, _ field: String?, _ kind: ListingChange.Kind) -> ListingChange {
            ListingChange(id: id, syncRunID: 1, listingID: 7, kind: kind, field: field, oldValue: nil, newValue: nil, changedAt: nil,
                          artist: "An Artist With A Rather Long Name", title: String(repeating: "Long Title ", count: 8))
        }
        let rows = ChangeRow.collapse([change(1, "sold", .removed), change(2, "sold", .removed), change(3, "sold", .removed), change(4, nil, .added)])
        #expect(rows.map(\.times) == [3, 1])
        var state = AppState()
        state.overlay = .changes
        state.changes = rows
        let grid = Renderer.render(state)
        #expect(grid.line(2).contains("− sold ×3") && grid.line(2).contains("…"), "\(grid.line(2))")
    }

    @Test func datesAreTheShopsLocalTime() throws {
        let pacific = LocalTime(zone: TimeZone(identifier: "America/Los_Angeles")!)
        // 2025-10-01T02:28:00Z is the evening of 30 September in California.
        let posted = Date(timeIntervalSince1970: 1_759_285_680)
        #expect(pacific.day(posted) == "2025-09-30" && LocalTime.utc.day(posted) == "2025-10-01")
        #expect(pacific.minute(posted) == "2025-09-30 19:28" && pacific.minuteWithZone(posted) == "2025-09-30 19:28 -07:00")
        try withSession(120, 35, time: pacific) { session, _, _ in
            // Björk was posted 2025-11-20T10:00:00-08:00.
            #expect(session.frame.line(2).contains("2025-11-20"))
            try session.handle(.enter)
            #expect(session.frame.text.contains("2025-11-20 10:00"))
        }
    }

    @Test func anEmptyMirrorShowsTheFirstSyncAndTheRealConfigPath() throws {
        try withSession(empty: true) { session, inbox, _ in
            #expect(session.frame.text.contains("(environment or /srv/shop/config/wax/config)"))
            inbox.post(.started(seller: "wax_demo_shop", trigger: .demo))
            inbox.post(.page(3, of: 30, listings: 300))
            try session.tick()
            let text = session.frame.text
            #expect(text.contains("Filling the mirror from Discogs") && text.contains("page 3/30"))
            #expect(!text.contains("wax demo"), "it tells the demo's user to run the demo")
        }
    }

    @Test func aKindTakesMoreThanOneValueAndADigitJumpsToIt() throws {
        try withSession(160, 40) { session, _, _ in
            try session.handle(.character("f"))
            try session.handle(.character("4"))                        // Format
            #expect(session.state.filterKind == .format)
            func choose(_ value: String) throws {
                let rows = FilterPaneModel.rows(session.state)
                let index = try #require(rows.firstIndex { if case .value(let v) = $0 { v.value == value } else { false } })
                try session.handle(.home)
                for _ in 0..<index { try session.handle(.character("j")) }
                try session.handle(.enter)
            }
            try choose("12\"")
            #expect(session.state.total == 2)
            try choose("7\"")
            #expect(session.state.total == 3, "7\" or 12\"")
            #expect(session.frame.line(0).contains("format: 12\" or 7\""))
            try choose("12\"")                                         // chosen again: removed
            #expect(session.state.total == 1)
        }
    }

    @Test func aLongValueListNarrowsAsYouType() throws {
        try withSession(160, 40) { session, _, _ in
            try session.handle(.character("f"))
            try session.handle(.character("/"))
            for c in "bj" { try session.handle(.character(c)) }
            let rows = FilterPaneModel.rows(session.state)
            #expect(rows == [.value(FacetValue(value: "Björk", count: 1))])
            try session.handle(.enter)                                 // one Enter: done typing, and chosen
            #expect(session.state.total == 1 && session.state.query.artist == "Björk")
            #expect(session.state.typing != .narrowing)
            #expect(session.frame.text.contains("/ bj"))
        }
    }

    @Test func thePriceTabHasReadyBands() throws {
        try withSession(160, 40) { session, _, _ in
            try session.handle(.character("f"))
            try session.handle(.character("9"))                        // Price
            let bands = FilterPaneModel.rows(session.state).compactMap { row -> String? in
                if case .band(let band, let count) = row { return "\(band.label) \(count)" } else { return nil }
            }
            #expect(bands == ["under 5 1", "5 – 10 2", "10 – 20 2", "20 – 50 7", "50 – 100 3", "100 and over 1"])
            for _ in 0..<5 { try session.handle(.character("j")) }    // min, max, under 5, 5 – 10, 10 – 20, 20 – 50
            try session.handle(.enter)
            #expect(session.state.total == 7 && session.state.query.minPrice == 20 && session.state.query.maxPrice == 49.99)
        }
    }

    @Test func sortingByYearShowsTheYear() throws {
        try withSession(120, 35) { session, _, _ in
            for _ in 0..<4 { try session.handle(.character("o")) }       // price, artist, title, year
            #expect(session.state.query.sort.field == .year)
            let titles = session.frame.line(1)
            #expect(titles.contains("Year ↓"), "\(titles)")
            #expect(session.frame.line(2).contains("2019"), "Tschüssi, the newest, first")
        }
    }

    @Test func aScannedListingIDOpensTheListing() throws {
        try withSession { session, _, _ in
            // Digits typed in the list start a search; one match and Enter shows it.
            for c in "3700003333" { try session.handle(.character(c)) }
            #expect(session.state.total == 1)
            try session.handle(.enter)
            #expect(session.state.detailOpen && session.state.detail?.id == 3_700_003_333)
            #expect(session.frame.text.contains("Sigur Rós – ( )"))
        }
    }

    @Test func theLastViewComesBack() throws {
        var saved: SavedView?
        try withSession { session, _, _ in
            try session.handle(.character("/"))
            for c in "dub" { try session.handle(.character(c)) }
            try session.handle(.enter)
            try session.handle(.character("O"))
            saved = SavedView.decode(session.savedView.json)
        }
        let view = try #require(saved)
        #expect(view.query.text == "dub" && view.query.sort.descending == false)
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = ShopFixture.listings()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        let again = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 80, rows: 24, syncAvailable: false,
                                time: .utc, restoring: view)
        #expect(again.state.query.text == "dub" && again.state.total == 1)
        #expect(again.frame.line(0).contains("/dub"))
        #expect(SavedView.decode(Data("not json".utf8)) == nil)
    }
}
