import Foundation
import WaxStore

/// Key handling: a key becomes a command (from the registry) or text, which changes the state
/// and says what must be redone. Pure: no I/O, so every branch is testable.
public enum Reducer {
    public static func handle(_ key: Key, _ state: inout AppState) -> Effects {
        if case .resize(let columns, let rows) = key { return resize(columns: columns, rows: rows, &state) }
        let hadMessage = state.message != nil
        state.notice = nil
        // What is being typed takes the key first; a key it does not take goes to the commands.
        if state.overlay == .intake, let effects = IntakeModel.handle(key, &state) { return effects }
        if state.overlay == .reprice, let effects = RepriceModel.handle(key, &state) { return effects }
        switch state.typing {
        case .prompt(let prompt)?: if let effects = CounterModel.handle(key, prompt, &state) { return effects }
        case .range(let field, let text)?: return editRange(field, text, key, &state)
        case .narrowing?: if let effects = editNarrowing(key, &state) { return effects }
        case .search?: if let effects = editSearch(key, &state) { return effects }
        case nil: break
        }
        // A barcode scanner (or a person) typing digits in the list: that is a search.
        if state.scope == .list, case .character(let c) = key, c.isNumber, CommandRegistry.command(for: key, in: .list) == nil {
            state.typing = .search
            state.query.text = String(c)
            return startOver(&state)
        }
        guard let command = CommandRegistry.command(for: key, in: state.scope) else {
            // The help says any key closes it: any key it does not bind (q included: closing
            // the help must never lose the search and filters).
            if state.overlay == .help {
                state.overlay = .none
                return .redraw
            }
            return hadMessage ? .redraw : []
        }
        if command == .filterJump, case .character(let digit) = key { return FilterPaneModel.jump(to: digit, &state) }
        return apply(command, &state)
    }

    // MARK: Typing

    /// Narrowing the filter pane's values: as search-as-you-type, over the value list.
    private static func editNarrowing(_ key: Key, _ state: inout AppState) -> Effects? {
        switch key {
        case .character(let c):
            state.valueFilter.append(c)
        case .backspace:
            guard !state.valueFilter.isEmpty else { return [] }
            state.valueFilter.removeLast()
        case .control("u"):
            state.valueFilter = ""
        case .enter:
            // Done narrowing, and the value under the cursor chosen (it took a second Enter).
            state.typing = nil
            return FilterPaneModel.choose(&state)
        case .escape:
            state.typing = nil
            state.valueFilter = ""
        default:
            return nil
        }
        state.filterCursor = 0
        return .redraw
    }

    /// Search-as-you-type: characters and Backspace edit the text (and refilter at once);
    /// Enter keeps it, Esc clears it. Other keys (arrows, paging) fall through to commands.
    private static func editSearch(_ key: Key, _ state: inout AppState) -> Effects? {
        switch key {
        case .character(let c):
            state.query.text.append(c)
            return startOver(&state)
        case .backspace:
            guard !state.query.text.isEmpty else { return [] }
            state.query.text.removeLast()
            return startOver(&state)
        case .enter:
            state.typing = nil
            // One listing found (a scanned barcode, a listing id): show it.
            if state.total == 1, state.selected != nil { return open(&state) }
            return .redraw
        case .escape:
            state.typing = nil
            guard !state.query.text.isEmpty else { return .redraw }
            state.query.text = ""
            return .refilter
        case .control("u"):
            state.query.text = ""
            return startOver(&state)
        default:
            return nil
        }
    }

    private static func editRange(_ field: RangeField, _ text: String, _ key: Key, _ state: inout AppState) -> Effects {
        switch key {
        case .character(let c) where c.isNumber || (c == "." && field.kind == .price && !text.contains(".")):
            state.typing = .range(field, text: text + String(c))
            return .redraw
        case .backspace:
            state.typing = .range(field, text: String(text.dropLast()))
            return .redraw
        case .enter:
            state.typing = nil
            switch (field.kind, field.upper) {
            case (.price, false): state.query.minPrice = Double(text)
            case (.price, true): state.query.maxPrice = Double(text)
            case (_, false): state.query.minYear = Int(text)
            case (_, true): state.query.maxYear = Int(text)
            }
            return startOver(&state).union(.loadFacets)
        case .escape:
            state.typing = nil
            return .redraw
        default:
            return []
        }
    }

    /// A new selection starts at its top; the filter pane's counts follow it.
    private static func startOver(_ state: inout AppState) -> Effects {
        state.cursor = 0
        state.scrollTop = 0
        state.selectedID = nil
        return [.refilter, .loadFacets]
    }

    // MARK: Commands

    public static func apply(_ command: CommandID, _ state: inout AppState) -> Effects {
        switch command {
        case .moveDown: return move(by: 1, &state)
        case .moveUp: return move(by: -1, &state)
        case .pageDown: return move(by: max(1, pageSize(state) - 1), &state)
        case .pageUp: return move(by: -max(1, pageSize(state) - 1), &state)
        case .top: return move(to: 0, &state)
        case .bottom: return move(to: .max, &state)
        case .openDetail: return open(&state)
        case .back: return back(&state)
        case .switchPane: return switchPane(&state)
        case .search:
            state.typing = .search
            state.overlay = .none
            state.returnTo = nil
            // The list is what a search narrows: on a narrow terminal it takes the screen back
            // from the detail or filter pane (which would otherwise stay drawn over it).
            if !state.layout.split {
                state.detailOpen = false
                state.filterOpen = false
            }
            state.focus = .list
            scrollToCursor(&state)
            return windowNeeded(state) ? [.redraw, .loadWindow] : .redraw
        case .filters:
            state.filterOpen.toggle()
            state.overlay = .none
            if state.filterOpen {
                state.detailOpen = false
                state.focus = .filter
                return .loadFacets
            }
            state.focus = .list
            return .redraw
        case .cycleSort:
            let fields = SortField.allCases
            let next = fields[(fields.firstIndex(of: state.query.sort.field)! + 1) % fields.count]
            state.query.sort = ListingSort(next)
            // A new order starts at its top: the selected row kept its place before, which
            // opened "price ↑" near row 2,870 with nothing saying where.
            return startOver(&state)
        case .reverseSort:
            state.query.sort.descending.toggle()
            return startOver(&state)
        case .heldOnly:
            state.query.heldOnly = state.query.heldOnly == true ? nil : true
            return startOver(&state).union(.loadFacets)
        case .clearAll:
            state.query = ListingQuery(sort: state.query.sort)
            return startOver(&state).union(.loadFacets)
        case .filterNextKind, .filterPreviousKind:
            let kinds = FilterKind.allCases
            let step = command == .filterNextKind ? 1 : kinds.count - 1
            state.filterKind = kinds[(kinds.firstIndex(of: state.filterKind)! + step) % kinds.count]
            state.filterCursor = 0
            state.valueFilter = ""
            return .loadFacets
        case .filterJump:
            return []   // handled with its key, in `handle`
        case .takeIn:
            return IntakeModel.open(&state)
        case .repriceList:
            return RepriceModel.open(&state)
        case .filterNarrow:
            state.typing = .narrowing
            state.valueFilter = ""
            state.filterCursor = 0
            return .redraw
        case .filterRemove:
            switch state.filterKind {
            case .price: (state.query.minPrice, state.query.maxPrice) = (nil, nil)
            case .year: (state.query.minYear, state.query.maxYear) = (nil, nil)
            default: if let facet = state.filterKind.facet { state.query[values: facet] = [] }
            }
            return startOver(&state).union(.loadFacets)
        case .sync:
            if case .unavailable = state.sync.phase {
                state.notice = .info("syncing is off: set DISCOGS_TOKEN and DISCOGS_SELLER_USERNAME (see wax info)")
                return .redraw
            }
            if state.sync.isRunning {
                state.notice = .info("a sync is already running")
                return .redraw
            }
            state.notice = .info("sync started: the status bar shows how it goes")
            return .startSync
        case .changes:
            state.overlay = state.overlay == .changes ? .none : .changes
            state.changesCursor = 0
            state.returnTo = nil
            return state.overlay == .changes ? .loadChanges : .redraw
        case .copyURL:
            guard let url = state.copyTarget else { return [] }
            state.notice = .info("copied \(url)")
            return .copyURL
        case .reload:
            state.notice = .info("reloaded from the mirror")
            return .reload
        case .help:
            state.overlay = state.overlay == .help ? .none : .help
            state.helpScroll = 0
            return .redraw
        case .quit, .interrupt:
            return .quit
        case .repaint:
            return .repaint
        case .sell: return CounterModel.begin(.sell, &state)
        case .holdOrRelease: return CounterModel.begin(.hold, &state)
        case .reprice: return CounterModel.begin(.price, &state)
        case .moveBin: return CounterModel.begin(.move, &state)
        case .editComments: return CounterModel.begin(.comment, &state)
        case .undo: return CounterModel.beginUndo(&state)
        case .orders: return OrdersModel.show(.orders, &state)
        case .pickList: return OrdersModel.show(.pickList, &state)
        case .orderStatus: return OrdersModel.beginStatus(&state)
        case .togglePicked: return OrdersModel.togglePicked(&state)
        case .giveUpHold: return OrdersModel.beginGiveUpHold(&state)
        }
    }

    /// The terminal's new size: the visible rows may need reading, and everything is drawn.
    private static func resize(columns: Int, rows: Int, _ state: inout AppState) -> Effects {
        state.columns = columns
        state.rows = rows
        scrollToCursor(&state)
        return windowNeeded(state) ? [.repaint, .loadWindow] : .repaint
    }

    static func pageSize(_ state: AppState) -> Int {
        switch state.scope {
        case .filter: return max(1, state.layout.side.height - 4)
        case .changes, .orders, .pickList: return state.layout.changesRows
        case .help: return HelpView.box(state).visible
        // The details fill the screen: a page is a screen of them (it was one line).
        case .detail where !state.layout.split: return max(1, state.layout.side.height - 1)
        default: return max(1, state.layout.listRows)
        }
    }

    /// Where moving keys act: the filter values while they are being narrowed, else the scope's.
    private static func movingIn(_ state: AppState) -> Scope {
        state.typing == .narrowing ? .filter : state.scope
    }

    private static func move(by delta: Int, _ state: inout AppState) -> Effects {
        switch movingIn(state) {
        case .filter:
            let count = FilterPaneModel.rowCount(state)
            state.filterCursor = clamp(state.filterCursor + delta, count)
            return .redraw
        case .changes:
            state.changesCursor = clamp(state.changesCursor + delta, state.changes.count)
            return .redraw
        case .orders, .pickList:
            return OrdersModel.move(by: delta, &state)
        case .help:
            state.helpScroll = max(0, min(state.helpScroll + delta, HelpView.maxScroll(state)))
            return .redraw
        case .detail where !state.layout.split:
            state.detailScroll = max(0, state.detailScroll + delta)
            return .redraw
        default:
            return move(to: state.cursor + delta, &state)
        }
    }

    private static func move(to target: Int, _ state: inout AppState) -> Effects {
        switch movingIn(state) {
        case .filter:
            state.filterCursor = target == .max ? max(0, FilterPaneModel.rowCount(state) - 1) : 0
            return .redraw
        case .changes:
            state.changesCursor = target == .max ? max(0, state.changes.count - 1) : 0
            return .redraw
        case .orders, .pickList:
            return OrdersModel.move(toEnd: target == .max, &state)
        case .help:
            state.helpScroll = target == .max ? HelpView.maxScroll(state) : 0
            return .redraw
        case .detail where !state.layout.split:
            // The details fill the screen: the first and last rows are the details' own (the
            // list's last row was selected out of sight, then shown as an empty list).
            state.detailScroll = target == .max ? Int.max / 2 : 0
            return .redraw
        default:
            break
        }
        let before = state.cursor
        state.cursor = clamp(target == .max ? state.total - 1 : target, state.total)
        scrollToCursor(&state)
        guard state.cursor != before else { return [] }
        state.selectedID = state.selected?.id
        state.detailScroll = 0
        return windowNeeded(state) ? [.loadWindow, .loadDetail] : .loadDetail
    }

    private static func clamp(_ value: Int, _ count: Int) -> Int {
        max(0, min(value, count - 1))
    }

    /// Keeps the cursor's row on screen.
    public static func scrollToCursor(_ state: inout AppState) {
        let visible = max(1, state.layout.listRows)
        if state.cursor < state.scrollTop { state.scrollTop = state.cursor }
        if state.cursor >= state.scrollTop + visible { state.scrollTop = state.cursor - visible + 1 }
        state.scrollTop = max(0, min(state.scrollTop, max(0, state.total - visible)))
    }

    /// Whether some visible row has not been read from the mirror.
    public static func windowNeeded(_ state: AppState) -> Bool {
        let first = state.scrollTop
        let last = min(state.total, state.scrollTop + state.layout.listRows)
        guard last > first else { return false }
        return first < state.windowStart || last > state.windowStart + state.window.count
    }

    private static func open(_ state: inout AppState) -> Effects {
        switch state.scope {
        case .searching:
            state.typing = nil
            return open(&state)
        case .filter:
            return FilterPaneModel.choose(&state)
        case .changes:
            guard state.changes.indices.contains(state.changesCursor) else { return [] }
            // The listing, wherever it is: in the list, or sold and gone from it (its details,
            // with its bin, are what staff need to pull it from the shelf).
            state.selectedID = state.changes[state.changesCursor].change.listingID
            state.overlay = .none
            state.returnTo = .changes
            return .showSelected
        case .orders, .pickList:
            return OrdersModel.open(&state)
        case .list:
            guard state.selected != nil else { return [] }
            focusDetail(&state)
            return .loadDetail
        default:
            return []
        }
    }

    /// The details take the keyboard (and the whole body on a narrow terminal), from the top.
    static func focusDetail(_ state: inout AppState) {
        if !state.layout.split { state.detailOpen = true }
        state.filterOpen = false
        state.focus = .detail
        state.detailScroll = 0
    }

    private static func back(_ state: inout AppState) -> Effects {
        if state.overlay == .orders || state.overlay == .pickList { return OrdersModel.back(&state) }
        if state.overlay != .none {
            state.overlay = .none
            return .redraw
        }
        if let origin = state.returnTo {
            // Opened from the changes: back there, at the row it was opened from.
            state.returnTo = nil
            state.detailOpen = false
            state.filterOpen = false
            state.focus = .list
            state.overlay = origin
            return .loadChanges
        }
        if state.detailOpen || state.filterOpen || state.focus != .list {
            state.detailOpen = false
            state.filterOpen = false
            state.focus = .list
            scrollToCursor(&state)
            return windowNeeded(state) ? [.redraw, .loadWindow, .loadDetail] : [.redraw, .loadDetail]
        }
        guard !state.query.text.isEmpty else { return [] }
        state.query.text = ""
        return startOver(&state)
    }

    private static func switchPane(_ state: inout AppState) -> Effects {
        if state.focus == .list {
            if state.filterOpen {
                state.focus = .filter
            } else {
                state.focus = .detail
                if !state.layout.split { state.detailOpen = true }
                return .loadDetail
            }
        } else {
            state.focus = .list
            if !state.layout.split {
                state.detailOpen = false
                state.filterOpen = false
            }
        }
        return .redraw
    }
}
