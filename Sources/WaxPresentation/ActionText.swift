import Foundation
import WaxStore

/// How staff actions read: their names in history and messages, their `wax` commands, and the
/// one-line summary of an action ("repriced 9.99 → 7.99 USD").
public enum ActionText {
    /// Its `wax` command (`wax sell`, `wax orders status`).
    public static func command(_ kind: ActionKind) -> String {
        switch kind {
        case .orderStatus: "orders status"
        case .create: "add"
        case .priceRun: "reprice"
        case .sell, .hold, .release, .price, .move, .comment: kind.rawValue
        }
    }

    /// What it is called in history ("hold refused: sold on Discogs").
    public static func noun(_ kind: ActionKind) -> String {
        switch kind {
        case .sell: "sale"
        case .hold: "hold"
        case .release: "release"
        case .price: "reprice"
        case .move: "move"
        case .comment: "comments edit"
        case .orderStatus: "order status change"
        case .create: "new listing"
        case .priceRun: "reprice run"
        }
    }

    /// The verb staff read in messages and history ("sold in shop by alice").
    public static func pastTense(_ kind: ActionKind) -> String {
        switch kind {
        case .sell: "sold in shop"
        case .hold: "held"
        case .release: "back on sale"
        case .price: "repriced"
        case .move: "moved"
        case .comment: "comments edited"
        case .orderStatus: "order status changed"
        case .create: "listed"
        case .priceRun: "repriced as a run"
        }
    }

    /// What it acts on, for a table's column: `1234`, `order 42-3`, `run 7`.
    public static func target(_ action: CounterAction) -> String {
        switch action.target {
        case .listing(let id): String(id)
        case .order(let id): "order \(id)"
        case .run(let id): "run \(id)"
        }
    }

    /// "repriced 9.99 → 7.99 USD", "moved A1 → D4", "sold in shop".
    public static func summary(_ action: CounterAction) -> String {
        func money(_ fields: ListingFields, currency: String? = nil) -> String {
            fields.price.map { Money.format($0, currency: fields.currency ?? currency) } ?? "no price"
        }
        func bin(_ text: String?) -> String { text.flatMap { $0.isEmpty ? nil : $0 } ?? "(no bin)" }
        let expected = action.expected, change = action.change
        return switch action.kind {
        case .price: "repriced \(money(expected)) → \(money(change, currency: expected.currency))"
        case .move: "moved \(bin(expected.location)) → \(bin(change.location))"
        case .sell where change.deleted == true: "sold in shop (deleted on Discogs)"
        case .orderStatus:
            "order \(action.orderID ?? "?"): \(expected.orderStatus?.rawValue ?? "?") → \(change.orderStatus?.rawValue ?? "?")\(action.note.map { " (message: \($0))" } ?? "")"
        case .create: "listed at \(money(change))\(change.status == .draft ? " (a Draft)" : "")"
        case .priceRun: "reprice run \(action.runID.map(String.init) ?? "?") (\(action.note ?? "a rule")) as one Discogs job"
        case .sell, .hold, .release, .comment: pastTense(action.kind)
        }
    }

    /// " (Björk – Army Of Me)": the record an action was about, for the message that says how
    /// it ended (minutes later, staff are looking at another one); "" for an order's.
    public static func record(_ action: CounterAction) -> String {
        guard action.orderID == nil, action.artist != nil || action.title != nil else { return "" }
        return " (\(ListingFormat.name(artist: action.artist, title: action.title)))"
    }

    /// "#12 repriced 9.99 → 7.99 USD (Björk – Army Of Me)".
    public static func line(_ action: CounterAction) -> String {
        "#\(action.id) \(summary(action))\(record(action))"
    }
}
