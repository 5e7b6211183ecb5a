import Foundation
import WaxConfig
import WaxPresentation
import WaxStore
import WaxText

/// Everything the browser shows, as plain values. Key handlers change it (through `Reducer`),
/// `Session` fills it from the mirror, `Renderer` draws it. Nothing in here does I/O.
public struct AppState: Sendable {
    /// What the keyboard is typing into, if anything: one thing at a time, each with its own
    /// key handler (`Reducer.handle` dispatches on it before any command).
    public enum Typing: Sendable, Equatable {
        /// The free-text search (`/`, or digits in the list).
        case search
        /// Narrowing the filter pane's values (`/` there).
        case narrowing
        /// A price or year bound, as typed so far.
        case range(RangeField, text: String)
        /// A counter action's question (a value typed, then y/n).
        case prompt(CounterPrompt)
    }

    public enum Overlay: Sendable, Equatable {
        case none, help, changes
        /// The Discogs orders, open ones first; and the pick list of the paid ones, by bin.
        case orders, pickList
        /// Taking stock in (`a`).
        case intake
        /// A reprice rule's preview over the list on show (`R`).
        case reprice
    }

    public var columns = 80
    public var rows = 24
    /// The seller, for the header.
    public var shop = ""
    /// The config file as resolved for this user (what the empty mirror tells people to edit).
    public var configFile = "~/.config/wax/config"
    public var focus = Scope.list
    public var overlay = Overlay.none
    /// Lines scrolled in the help (`?`), when it does not fit.
    public var helpScroll = 0
    /// The view a listing or an order was opened from (the changes, the pick list): Esc goes
    /// back there, at the same row, rather than to the main list or the orders.
    public var returnTo: Overlay?
    /// The detail pane fills the body (narrow terminals, after Enter).
    public var detailOpen = false
    public var filterOpen = false

    // The selection being shown.
    public var query = ListingQuery()
    public var typing: Typing?
    public var total = 0
    /// Every listing, for "showing N of M".
    public var inventoryTotal = 0
    /// Rows read from the mirror: `window` holds rows `windowStart ..< windowStart + window.count`.
    public var window: [Listing] = []
    public var windowStart = 0
    public var cursor = 0
    public var scrollTop = 0
    public var selectedID: Int64?
    /// The selected listing with its release details (for the detail pane).
    public var detail: Listing?
    /// Lines scrolled in a full-screen detail.
    public var detailScroll = 0

    // Filter pane.
    public var facets = Facets()
    public var filterKind = FilterKind.artist
    public var filterCursor = 0
    /// Text narrowing the current kind's values (`/` in the pane).
    public var valueFilter = ""

    // Changes view.
    public var changes: [ChangeRow] = []
    public var changesCursor = 0

    /// The orders view and the pick list.
    public var orders = OrdersBoard()

    public var sync = SyncStatus()
    /// One line shown until the next key: "copied …", a refusal.
    public var notice: Notice?

    // The counter: acting on stock.
    /// Whether this wax may act, and if not why (the keys stay, and say so).
    public var counter = CounterAvailability.off("actions are off: no Discogs token here (see wax info)")
    /// What a counter sale does on Discogs here (the question says it).
    public var soldInShop = SoldInShopMode.draft
    /// What `u` would undo ("#12 repriced … (Björk – Army Of Me)"), for its question.
    public var undoTarget: String?
    /// Actions not yet confirmed by Discogs (every staff member's).
    public var outboxWaiting = 0
    /// Discogs kept failing the mirror's sender: since when, and why.
    public var discogsTrouble: OutboxQueue.Trouble?
    // Taking stock in.
    /// The intake form, kept while the browser runs (its bin and tally are the stack's).
    public var intake: IntakeForm?
    /// The reprice pane (`R`), while it shows.
    public var reprice: RepriceForm?
    /// The reprice runs still on their way, for the status bar ("run 3: Discogs is processing").
    public var repriceProgress: String?
    /// This wax can search Discogs' database (it holds the token).
    public var intakeAvailable = false
    public var priceRounding = PriceRounding.step(0.5)
    public var priceLimit = FieldRules.defaultPriceLimit
    /// What most of the shop's listings are priced in.
    public var shopCurrency: String?

    /// Wall time used for "12 min ago" (set by the session; fixed in tests).
    public var now = Date()
    /// How dates read on screen: the server's time zone (`TZ`); fixed in tests.
    public var time = LocalTime.system

    public init() {}

    public var emptyMirror: Bool { inventoryTotal == 0 }

    /// The scope keys are looked up in.
    public var scope: Scope {
        switch typing {
        case .prompt?: return .prompting
        case .search?, .narrowing?, .range?: return .searching
        case nil: break
        }
        switch overlay {
        case .help: return .help
        case .changes: return .changes
        case .orders: return .orders
        case .pickList: return .pickList
        case .intake: return .intake
        case .reprice: return .reprice
        case .none: return focus
        }
    }

    /// What `y` copies: the Discogs URL of the listing on show.
    public var copyTarget: String? { (detail ?? selected)?.discogsURL }

    /// The notice's text, if one shows.
    public var message: String? { notice?.text }
    /// The notice is bad news (a refused action), drawn as an error.
    public var messageIsError: Bool { notice?.isProblem == true }

    /// The counter's question on show, if any.
    public var counterPrompt: CounterPrompt? {
        if case .prompt(let prompt)? = typing { return prompt }
        return nil
    }

    public var selected: Listing? {
        let index = cursor - windowStart
        return window.indices.contains(index) ? window[index] : nil
    }

    /// Lines the prompt takes: one for what is being typed, as many as a message needs.
    var promptLines: Int {
        if let prompt = counterPrompt, prompt.step == .confirming {
            // A question is never cut: the record it names and the y/n both show.
            return DisplayWidth.wrap(CounterModel.question(prompt, soldInShop: soldInShop, undoing: undoTarget), to: max(10, columns - 2)).count
        }
        if typing == .search || counterPrompt != nil { return 1 }
        if case .range? = typing { return 1 }
        guard let message else { return 0 }
        return DisplayWidth.wrap(message, to: max(10, columns - 2)).count
    }

    public var layout: Layout {
        Layout(columns: columns, rows: rows, detailOpen: detailOpen, filterOpen: filterOpen, promptLines: promptLines)
    }
}

/// A line for staff until their next key: news, or bad news (drawn as an error).
public enum Notice: Sendable, Equatable {
    case info(String)
    case problem(String)

    public var text: String {
        switch self {
        case .info(let text), .problem(let text): text
        }
    }

    public var isProblem: Bool {
        if case .problem = self { return true }
        return false
    }
}

/// One bound of a range filter: min or max price or year.
public struct RangeField: Sendable, Equatable {
    public var kind: FilterKind
    public var upper: Bool
    public init(kind: FilterKind, upper: Bool) {
        self.kind = kind
        self.upper = upper
    }
}

/// The filter pane's kinds: the facet kinds plus the two ranges.
public enum FilterKind: String, Sendable, CaseIterable {
    case artist, genre, style, format, condition, sleeve, label, location, price, year

    public var facet: FacetKind? {
        switch self {
        case .artist: .artist
        case .genre: .genre
        case .style: .style
        case .format: .format
        case .condition: .condition
        case .sleeve: .sleeveCondition
        case .label: .label
        case .location: .location
        case .year: .year
        case .price: nil
        }
    }

    public var title: String {
        switch self {
        case .sleeve: "Sleeve"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }
}
