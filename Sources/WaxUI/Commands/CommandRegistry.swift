/// Every command of the browser, each declared once with its keys and help: dispatch, the `?`
/// overlay, the status bar's hints and the README's key table all read this list.
public enum CommandID: String, Sendable, CaseIterable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case openDetail, back, switchPane, search, filters, cycleSort, reverseSort, clearAll
    case filterNextKind, filterPreviousKind, filterJump, filterNarrow, filterRemove
    case sync, changes, copyURL, reload, repaint, help, quit, interrupt
    case sell, holdOrRelease, reprice, moveBin, editComments, undo, heldOnly
    case orders, pickList, orderStatus, togglePicked, giveUpHold
    case takeIn, repriceList
}

/// Where the keyboard is: which pane has focus, or what overlay is open.
public enum Scope: Sendable, Hashable, CaseIterable {
    case list, detail, filter, changes, help, searching
    /// A counter action's question is open (a value being typed, or y/n).
    case prompting
    /// The orders view, and the pick list.
    case orders, pickList
    /// The intake form: its keys are its own (typed text, grade keys), but for quitting and repainting.
    case intake
    /// The reprice pane: a rule typed, then its preview.
    case reprice
}

public struct CommandSpec: Sendable {
    public enum Group: String, Sendable, CaseIterable {
        case move = "Move", find = "Find"
        /// Keys of the filter pane alone (`h` there is the previous kind, not "held").
        case filters = "In the filter pane"
        case orders = "Orders", view = "View", shop = "Shop", counter = "Counter"
    }

    public let id: CommandID
    public let keys: [Key]
    /// A word or two, for the hint bar.
    public let title: String
    /// A sentence, for the help overlay and the README.
    public let help: String
    public let group: Group
    public let scopes: Set<Scope>
    /// Shown in the status bar's hints.
    public let hint: Bool
}

public enum CommandRegistry {
    private static let browsing: Set<Scope> = [.list, .detail, .filter, .changes, .orders, .pickList]
    /// Where the moving keys move something: the lists, the typed search's list, the help.
    private static let moving: Set<Scope> = browsing.union([.searching, .help])
    /// The orders view and the pick list.
    private static let ordering: Set<Scope> = [.orders, .pickList]
    private static let panes: Set<Scope> = [.list, .detail, .filter]
    private static let everywhere = Set(Scope.allCases)
    /// Where a listing is on show to act on.
    private static let listing: Set<Scope> = [.list, .detail]

    public static let all: [CommandSpec] = [
        CommandSpec(id: .moveDown, keys: [.down, .character("j")], title: "down", help: "Next row", group: .move, scopes: moving, hint: false),
        CommandSpec(id: .moveUp, keys: [.up, .character("k")], title: "up", help: "Previous row", group: .move, scopes: moving, hint: false),
        CommandSpec(id: .pageDown, keys: [.pageDown, .control("f")], title: "page down", help: "Next page", group: .move, scopes: moving, hint: false),
        CommandSpec(id: .pageUp, keys: [.pageUp, .control("b")], title: "page up", help: "Previous page", group: .move, scopes: moving, hint: false),
        CommandSpec(id: .top, keys: [.character("g"), .home], title: "top", help: "First row", group: .move, scopes: browsing.union([.help]), hint: false),
        CommandSpec(id: .bottom, keys: [.character("G"), .end], title: "bottom", help: "Last row", group: .move, scopes: browsing.union([.help]), hint: false),
        CommandSpec(id: .openDetail, keys: [.enter], title: "open", help: "Open the details; in filters: add or remove the value", group: .view, scopes: browsing.union([.searching]), hint: false),
        CommandSpec(id: .back, keys: [.escape], title: "back", help: "Back; clears the search", group: .view, scopes: browsing.union([.searching, .help]), hint: false),
        CommandSpec(id: .switchPane, keys: [.tab], title: "pane", help: "Switch between the list and the pane", group: .view, scopes: panes, hint: false),
        CommandSpec(id: .search, keys: [.character("/")], title: "search", help: "Search as you type (every word a prefix)", group: .find, scopes: [.list, .detail, .changes], hint: true),
        CommandSpec(id: .filters, keys: [.character("f")], title: "filters", help: "Filters: artist, genre, format, price…", group: .find, scopes: browsing, hint: true),
        CommandSpec(id: .orders, keys: [.character("b")], title: "orders", help: "Discogs orders, open first, with bins", group: .orders, scopes: browsing, hint: true),
        CommandSpec(id: .pickList, keys: [.character("P")], title: "pick list", help: "Pick list: paid orders' items, by bin", group: .orders, scopes: browsing, hint: false),
        CommandSpec(id: .togglePicked, keys: [.character(" "), .character("x")], title: "picked", help: "Pick list: mark picked (all staff see it)", group: .orders, scopes: [.pickList], hint: true),
        CommandSpec(id: .orderStatus, keys: [.character("t")], title: "status", help: "Move the order on (Shipped: tracking no.)", group: .orders, scopes: ordering, hint: true),
        CommandSpec(id: .giveUpHold, keys: [.character("H")], title: "to the buyer", help: "Double sale of a held record: the buyer gets it", group: .orders, scopes: [.orders], hint: false),
        CommandSpec(id: .cycleSort, keys: [.character("o")], title: "sort", help: "Sort by the next column", group: .find, scopes: panes, hint: true),
        CommandSpec(id: .reverseSort, keys: [.character("O")], title: "reverse", help: "Reverse the sort order", group: .find, scopes: panes, hint: false),
        CommandSpec(id: .heldOnly, keys: [.character("h")], title: "held", help: "Only records held for customers, or all", group: .find, scopes: listing, hint: false),
        CommandSpec(id: .clearAll, keys: [.character("x")], title: "clear", help: "Clear the search and all filters", group: .find, scopes: panes, hint: false),
        CommandSpec(id: .filterNextKind, keys: [.right, .character("l")], title: "next filter", help: "Filters: next kind", group: .filters, scopes: [.filter], hint: false),
        CommandSpec(id: .filterPreviousKind, keys: [.left, .character("h")], title: "previous filter", help: "Filters: previous kind", group: .filters, scopes: [.filter], hint: false),
        CommandSpec(id: .filterJump, keys: (1...9).map { .character(Character(String($0))) } + [.character("0")], title: "kind",
                    help: "Filters: straight to a kind (1 artist … 9 price, 0 year)", group: .filters, scopes: [.filter], hint: false),
        CommandSpec(id: .filterNarrow, keys: [.character("/")], title: "narrow", help: "Filters: type to narrow the values", group: .filters, scopes: [.filter], hint: true),
        CommandSpec(id: .filterRemove, keys: [.backspace, .delete], title: "remove", help: "Filters: remove this kind's filter", group: .filters, scopes: [.filter], hint: false),
        CommandSpec(id: .sync, keys: [.character("s")], title: "sync", help: "Sync with Discogs now", group: .shop, scopes: browsing, hint: true),
        CommandSpec(id: .changes, keys: [.character("c")], title: "changes", help: "What syncs added, repriced and removed", group: .shop, scopes: browsing, hint: true),
        CommandSpec(id: .copyURL, keys: [.character("y")], title: "copy URL", help: "Copy the Discogs URL (OSC 52, over ssh)", group: .shop, scopes: panes, hint: false),
        CommandSpec(id: .reload, keys: [.character("r")], title: "reload", help: "Reload from the mirror", group: .shop, scopes: browsing, hint: false),
        CommandSpec(id: .sell, keys: [.character("S")], title: "sold", help: "Sold in the shop: off sale on Discogs (asks y/n first)", group: .counter, scopes: listing, hint: true),
        CommandSpec(id: .holdOrRelease, keys: [.character("H")], title: "hold", help: "Hold for a customer (a Draft on Discogs), or put a held record back on sale", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .reprice, keys: [.character("p")], title: "price", help: "Reprice on Discogs", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .moveBin, keys: [.character("m")], title: "move", help: "Move to another bin (the location on Discogs)", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .editComments, keys: [.character("E")], title: "comments", help: "Edit the comments buyers read on Discogs", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .takeIn, keys: [.character("a")], title: "take in", help: "Take stock in: scan, grade, price, list on Discogs", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .repriceList, keys: [.character("R")], title: "reprice all", help: "Reprice the list on show by a rule, previewed first", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .undo, keys: [.character("u")], title: "undo", help: "Undo your last action while it can be", group: .counter, scopes: listing, hint: false),
        CommandSpec(id: .repaint, keys: [.control("l")], title: "repaint", help: "Draw the whole screen again (a garbled ssh session)", group: .view, scopes: everywhere, hint: false),
        CommandSpec(id: .help, keys: [.character("?")], title: "help", help: "Show or hide this help (any other key closes it)", group: .view, scopes: browsing.union([.help]), hint: true),
        CommandSpec(id: .quit, keys: [.character("q")], title: "quit", help: "Quit", group: .view, scopes: browsing, hint: true),
        CommandSpec(id: .interrupt, keys: [.control("c")], title: "quit anywhere", help: "Quit from anywhere, even while typing", group: .view, scopes: everywhere, hint: false),
    ]

    public static func spec(_ id: CommandID) -> CommandSpec {
        all.first { $0.id == id }!
    }

    /// The command a key means where the keyboard is, if any.
    public static func command(for key: Key, in scope: Scope) -> CommandID? {
        all.first { $0.scopes.contains(scope) && $0.keys.contains(key) }?.id
    }

    /// `j ↓`, `q Ctrl-C`: how the help and the README show a command's keys.
    public static func keyLabel(_ spec: CommandSpec) -> String {
        // A run of digits reads as one: `1…0`.
        if spec.keys.count > 4, let first = spec.keys.first, let last = spec.keys.last { return "\(first)…\(last)" }
        return spec.keys.map(\.description).joined(separator: " ")
    }
}
