import Foundation
import Testing
import WaxPresentation
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

@Suite struct CommandRegistryTests {
    @Test func noKeyMeansTwoThingsInOneScope() {
        for scope in Scope.allCases {
            var seen: [Key: CommandID] = [:]
            for spec in CommandRegistry.all where spec.scopes.contains(scope) {
                for key in spec.keys {
                    #expect(seen[key] == nil, "\(key) is both \(seen[key]!) and \(spec.id) in \(scope)")
                    seen[key] = spec.id
                }
            }
        }
    }

    @Test func everyCommandIsDeclaredOnceWithKeysAndHelp() {
        #expect(Set(CommandRegistry.all.map(\.id)).count == CommandID.allCases.count)
        for spec in CommandRegistry.all {
            #expect(!spec.keys.isEmpty && !spec.help.isEmpty && !spec.title.isEmpty, "\(spec.id)")
        }
    }

    @Test func theIssuesKeysAreBound() {
        let expected: [(Key, Scope, CommandID)] = [
            (.down, .list, .moveDown), (.character("j"), .list, .moveDown), (.up, .list, .moveUp), (.character("k"), .list, .moveUp),
            (.pageDown, .list, .pageDown), (.control("f"), .list, .pageDown), (.pageUp, .list, .pageUp), (.control("b"), .list, .pageUp),
            (.character("g"), .list, .top), (.home, .list, .top), (.character("G"), .list, .bottom), (.end, .list, .bottom),
            (.enter, .list, .openDetail), (.escape, .list, .back), (.tab, .list, .switchPane), (.character("/"), .list, .search),
            (.character("f"), .list, .filters), (.character("o"), .list, .cycleSort), (.character("O"), .list, .reverseSort),
            (.character("s"), .list, .sync), (.character("c"), .list, .changes), (.character("y"), .list, .copyURL),
            (.character("r"), .list, .reload), (.character("?"), .list, .help), (.character("q"), .list, .quit),
            (.control("c"), .searching, .interrupt), (.control("c"), .help, .interrupt), (.control("l"), .searching, .repaint),
        ]
        for (key, scope, command) in expected {
            #expect(CommandRegistry.command(for: key, in: scope) == command, "\(key) in \(scope)")
        }
    }

    /// The README's key table is checked against the registry: every command's keys and help.
    @Test func theReadmesKeyTableMatchesTheRegistry() throws {
        let readme = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let table = try #require(readme.components(separatedBy: "<!-- keys: generated from CommandRegistry -->").dropFirst().first?
            .components(separatedBy: "<!-- /keys -->").first)
        #expect(table.trimmingCharacters(in: .whitespacesAndNewlines) == KeyTable.markdown.trimmingCharacters(in: .whitespacesAndNewlines),
                "README key table is stale; it should read:\n\(KeyTable.markdown)")
    }
}

@Suite struct ReducerTests {
    func state(total: Int = 100, rows: Int = 24) -> AppState {
        var state = AppState()
        state.rows = rows
        state.total = total
        state.inventoryTotal = total
        state.window = (0..<min(total, 60)).map { Listing(record: ListingRecord(listingID: Int64($0 + 1)), release: nil, genres: [], styles: []) }
        return state
    }

    @Test func movingKeepsTheCursorOnScreenAndAsksForRowsItLacks() {
        var s = state()
        let visible = s.layout.listRows
        for _ in 0..<visible { _ = Reducer.handle(.character("j"), &s) }
        #expect(s.cursor == visible && s.scrollTop == 1)
        let effects1 = Reducer.handle(.character("G"), &s)

        #expect(effects1.contains(.loadWindow))
        #expect(s.cursor == 99 && s.scrollTop == 100 - visible)
        #expect(Reducer.handle(.character("j"), &s) == [])          // nothing below the last row
        _ = Reducer.handle(.home, &s)
        #expect(s.cursor == 0 && s.scrollTop == 0)
        _ = Reducer.handle(.pageDown, &s)
        #expect(s.cursor == visible - 1)
    }

    @Test func typingSearchesAtOnceAndEscClears() {
        var s = state()
        _ = Reducer.handle(.character("/"), &s)
        #expect(s.typing == .search)
        let effects2 = Reducer.handle(.character("b"), &s)

        #expect(effects2.contains(.refilter))
        _ = Reducer.handle(.character("e"), &s)
        #expect(s.query.text == "be")
        _ = Reducer.handle(.backspace, &s)
        #expect(s.query.text == "b")
        let typedQ = Reducer.handle(.character("q"), &s)                    // q is text while searching
        #expect(typedQ.contains(.refilter) && !typedQ.contains(.quit) && s.query.text == "bq")
        _ = Reducer.handle(.escape, &s)
        #expect(s.typing == nil && s.query.text.isEmpty)
        _ = Reducer.handle(.character("/"), &s)
        _ = Reducer.handle(.character("x"), &s)
        _ = Reducer.handle(.enter, &s)
        #expect(s.typing == nil && s.query.text == "x")
        // Esc in the list clears a kept search.
        let effects3 = Reducer.handle(.escape, &s)

        #expect(effects3.contains(.refilter))
        #expect(s.query.text.isEmpty)
    }

    @Test func sortingCyclesAndReverses() {
        var s = state()
        _ = Reducer.handle(.character("o"), &s)
        #expect(s.query.sort == ListingSort(.price))
        _ = Reducer.handle(.character("O"), &s)
        #expect(s.query.sort == ListingSort(.price, descending: true))
        for _ in 0..<6 { _ = Reducer.handle(.character("o"), &s) }
        #expect(s.query.sort == ListingSort.default)
    }

    @Test func narrowDetailOpensInPlaceAndEscGoesBack() {
        var s = state()
        let effects4 = Reducer.handle(.enter, &s)

        #expect(effects4.contains(.loadDetail))
        #expect(s.detailOpen && s.focus == .detail && s.layout.list.width == 0)
        _ = Reducer.handle(.escape, &s)
        #expect(!s.detailOpen && s.focus == .list)
        s.columns = 160
        _ = Reducer.handle(.enter, &s)
        #expect(!s.detailOpen && s.focus == .detail && s.layout.split)
    }

    @Test func theHelpClosesOnAnyKeyAndQuitQuits() {
        var s = state()
        _ = Reducer.handle(.character("?"), &s)
        #expect(s.overlay == .help)
        // The moving keys scroll it (PgDn closed it, and 80×24 could not show it all).
        _ = Reducer.handle(.character("j"), &s)
        #expect(s.overlay == .help && s.cursor == 0)
        _ = Reducer.handle(.character("z"), &s)
        #expect(s.overlay == .none && s.cursor == 0)
        // q in the help closes the help, it does not quit (the search and filters stay).
        s.query.text = "dub"
        _ = Reducer.handle(.character("?"), &s)
        #expect(!Reducer.handle(.character("q"), &s).contains(.quit))
        #expect(s.overlay == .none && s.query.text == "dub")
        let effects5 = Reducer.handle(.character("q"), &s)

        #expect(effects5.contains(.quit))
        _ = Reducer.handle(.character("?"), &s)
        #expect(Reducer.handle(.control("c"), &s).contains(.quit))
        #expect(Reducer.handle(.control("l"), &s).contains(.repaint))
    }

    @Test func syncWithoutATokenSaysWhatToDo() {
        var s = state()
        s.sync.phase = .unavailable
        let effects6 = Reducer.handle(.character("s"), &s)

        #expect(effects6 == .redraw)
        #expect(s.message?.contains("DISCOGS_TOKEN") == true)
        s.sync.phase = .idle
        let effects7 = Reducer.handle(.character("s"), &s)

        #expect(effects7 == .startSync)
    }

    @Test func rangesAreTypedInTheFilterPane() {
        var s = state()
        _ = Reducer.handle(.character("f"), &s)
        for _ in 0..<8 { _ = Reducer.handle(.character("l"), &s) }   // Price
        #expect(s.filterKind == .price)
        _ = Reducer.handle(.enter, &s)                                // min
        for c in "12.5x" { _ = Reducer.handle(.character(c), &s) }    // x is ignored
        let effects8 = Reducer.handle(.enter, &s)

        #expect(effects8.contains(.refilter))
        #expect(s.query.minPrice == 12.5)
        _ = Reducer.handle(.backspace, &s)                            // remove this kind's filter
        #expect(s.query.minPrice == nil)
    }
}

@Suite struct SyncStatusTests {
    @Test func eventsBecomeOneLine() {
        var status = SyncStatus()
        let now = Date(timeIntervalSince1970: 1_000_000)
        status.apply(.started(seller: "s", trigger: .key), now: now)
        status.apply(.page(2, of: 4, listings: 200), now: now)
        #expect(status.phase == .running("page 2/4 · 200 listings", progress: 0.5))
        status.apply(.waitingForRateLimit(seconds: 3.4), now: now)
        #expect(status.detail == "waiting 3 s for the rate limit")
        var summary = SyncSummary()
        summary.added = 3
        summary.removed = 1
        let changed = status.apply(.finished(summary), now: now)
        #expect(changed)                                              // the mirror changed
        #expect(status.phase == .idle && status.lastCounts?.added == 3)
        status.apply(.failed(SyncFailure(.busy, "another wax is syncing")), now: now)
        #expect(status.phase == .idle && status.busyMessage(now: now) == "another wax is syncing")
        // It goes after a while, even if no commit from the other sync is seen.
        #expect(status.busyMessage(now: now.addingTimeInterval(SyncStatus.busyShown + 1)) == nil)
    }

    @Test func agesReadNaturally() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(ListingFormat.ago(now.addingTimeInterval(-20), now: now) == "just now")
        #expect(ListingFormat.ago(now.addingTimeInterval(-12 * 60), now: now) == "12 min ago")
        #expect(ListingFormat.ago(now.addingTimeInterval(-3 * 3600), now: now) == "3 h ago")
        #expect(ListingFormat.ago(now.addingTimeInterval(-50 * 3600), now: now) == "2 days ago")
    }

    @Test func narrowListsDropTheLeastNeededColumnsFirst() {
        #expect(ListColumns.columns(width: 120).map(\.field.rawValue) == ["artist", "title", "format", "condition", "price", "posted", "location"])
        #expect(ListColumns.columns(width: 80).map(\.field.rawValue) == ["artist", "title", "format", "condition", "price", "location"])
        #expect(ListColumns.columns(width: 60).map(\.field.rawValue) == ["artist", "title", "condition", "price"])
        for width in [40, 60, 80, 120, 200] {
            let columns = ListColumns.columns(width: width)
            #expect(columns.reduce(-1) { $0 + $1.width + 1 } <= width, "\(width)")
        }
    }
}
