import Foundation
import WaxPresentation
import WaxStore

/// Whether staff can act from this browser.
public enum CounterAvailability: Sendable, Equatable {
    case on
    /// The keys stay (and are in the help); pressing one says this.
    case off(String)
}

/// A counter action being asked for: first a value typed (price, bin, comments), then one key
/// to confirm, with the question naming the record (artist – title, price, bin).
public struct CounterPrompt: Sendable, Equatable {
    public enum Intent: Sendable, Equatable {
        case action(ActionKind)
        case undo
        /// An order's status (from the orders view or the pick list).
        case orderStatus(OrderStatusChoice)
        /// A held record an online buyer bought too: the buyer gets it.
        case giveUpHold(DoubleSaleAlert)
    }

    /// `choosing`: one of numbered choices (an order's next statuses) by its digit.
    public enum Step: Sendable, Equatable { case choosing, typing, confirming }

    public var intent: Intent
    /// The listing as the staff member saw it when they pressed the key.
    public var listing: Listing?
    public var text: String
    public var step: Step
    /// The value shown is the one the listing has, and the first character typed replaces it
    /// (a price or a bin is typed anew, never appended to: "1.09" + "5.50" was "1.095.50").
    /// Backspace or Ctrl-U edits it instead.
    public var replacesOnTyping = false
}

/// What the session is asked to do for the counter.
public enum CounterRequest: Sendable, Equatable {
    case act(ActionRequest)
    case undo
    case orderStatus(orderID: String, status: OrderStatus, message: String?)
    /// A pick-list mark: kept in the mirror only (Discogs has no such thing).
    case setPicked(orderID: String, listingID: Int64, picked: Bool)
    /// A double-sold hold given up: the mirror's alone (Discogs sold it already).
    case giveUpHold(listingID: Int64)
}

/// What staff type for an action before its y/n, declared once per kind: the prompt, the check
/// at Enter and the request all read it.
enum TypedValue: Equatable {
    case none, price, bin, comments
    /// Whom a hold is for (the name the double-sale warning gives staff to call).
    case customer

    init(_ kind: ActionKind) {
        self = switch kind {
        case .sell, .release, .orderStatus, .create, .priceRun: .none
        case .hold: .customer
        case .price: .price
        case .move: .bin
        case .comment: .comments
        }
    }

    /// Whether the first key typed replaces the value shown (a number or a bin code) rather
    /// than adding to it (prose, which staff extend).
    var replacedByTyping: Bool {
        switch self {
        case .price, .bin: true
        case .comments, .none, .customer: false
        }
    }

    /// What the prompt starts with: the value as it is now.
    func initial(_ listing: Listing) -> String {
        switch self {
        case .price: listing.record.priceValue.map { String(format: "%.2f", $0) } ?? ""
        case .bin: listing.record.location ?? ""
        case .comments: listing.record.comments ?? ""
        case .none, .customer: ""
        }
    }

    /// What is wrong with `text`, said at Enter.
    func problem(_ text: String, _ listing: Listing?) -> String? {
        switch self {
        case .none: return nil
        case .price:
            guard let price = Self.price(text), price > 0 else { return "a price is a positive number, like 12.50" }
            return FieldRules.price(price, currency: listing?.record.priceCurrency).map(FieldProblemText.sentence)
        case .bin: return FieldRules.location(text.trimmingCharacters(in: .whitespaces)).map(FieldProblemText.sentence)
        case .comments: return FieldRules.comments(text).map(FieldProblemText.sentence)
        case .customer: return FieldRules.note(text).map(FieldProblemText.sentence)
        }
    }

    /// `text` into the request.
    func fill(_ request: inout ActionRequest, from text: String) {
        switch self {
        case .none: break
        case .price: request.price = Self.price(text)
        case .bin: request.location = text
        case .comments: request.comments = text
        case .customer:
            let note = text.trimmingCharacters(in: .whitespaces)
            request.note = note.isEmpty ? nil : note
        }
    }

    /// The question while typing.
    func question(_ listing: Listing) -> String {
        let name = ListingFormat.name(listing)
        return switch self {
        case .price: "New price for \(name)\(listing.record.priceCurrency.map { " (\($0))" } ?? ""): "
        case .bin: "New bin for \(name): "
        case .comments: "Comments for \(name): "
        case .customer: "Hold \(name) for: "
        case .none: ""
        }
    }

    /// A comma as the decimal point too (12,50).
    static func price(_ text: String) -> Double? { Double(text.replacingOccurrences(of: ",", with: ".")) }
}

/// The counter keys: from a key to a confirmed request (pure, as the rest of the reducer).
enum CounterModel {
    /// Acting is off in this wax (no token, read-only): every key that would act says why,
    /// and does nothing else.
    static func refusedWhenOff(_ state: inout AppState) -> Effects? {
        guard case .off(let reason) = state.counter else { return nil }
        state.notice = .problem(reason)
        return .redraw
    }

    static func begin(_ asked: ActionKind, _ state: inout AppState) -> Effects {
        if let refused = CounterModel.refusedWhenOff(&state) { return refused }
        guard let listing = state.detail ?? state.selected else { return [] }
        // H on a held record (or a Draft) puts it back on sale.
        let kind: ActionKind = asked == .hold && (listing.heldBy != nil || listing.record.status == .draft) ? .release : asked
        if listing.isRemoved, kind.spec.effect != .releases {
            state.notice = .problem("\(ListingFormat.name(listing)) is not for sale any more (\(listing.removedReason?.text ?? "removed"))")
            return .redraw
        }
        let typed = TypedValue(kind)
        let initial = typed.initial(listing)
        state.typing = .prompt(CounterPrompt(intent: .action(kind), listing: listing, text: initial,
                                            step: typed == .none ? .confirming : .typing,
                                            replacesOnTyping: typed.replacedByTyping && !initial.isEmpty))
        return .redraw
    }

    static func beginUndo(_ state: inout AppState) -> Effects {
        if let refused = CounterModel.refusedWhenOff(&state) { return refused }
        state.typing = .prompt(CounterPrompt(intent: .undo, listing: nil, text: "", step: .confirming))
        return .redraw
    }

    /// Keys while the question is open; nil lets a key through to the registry (Ctrl-C, Ctrl-L).
    static func handle(_ key: Key, _ asked: CounterPrompt, _ state: inout AppState) -> Effects? {
        var prompt = asked
        switch (prompt.step, key) {
        case (.choosing, .character(let c)):
            guard case .orderStatus(var choice) = prompt.intent, let n = c.wholeNumberValue, choice.choices.indices.contains(n - 1) else { return [] }
            choice.chosen = choice.choices[n - 1]
            prompt.intent = .orderStatus(choice)
            // Shipped can tell the buyer how (a tracking number); the others go as they are.
            prompt.step = choice.chosen == .shipped ? .typing : .confirming
        case (.typing, .character(let c)):
            if prompt.replacesOnTyping { prompt.text = "" }
            prompt.replacesOnTyping = false
            prompt.text.append(c)
        case (.typing, .backspace):
            prompt.replacesOnTyping = false
            if !prompt.text.isEmpty { prompt.text.removeLast() }
        case (.typing, .control("u")):
            prompt.replacesOnTyping = false
            prompt.text = ""
        case (.typing, .enter):
            if let problem = problem(prompt) {
                state.notice = .problem(problem)
                return .redraw
            }
            prompt.step = .confirming
        case (.confirming, .character("y")), (.confirming, .character("Y")):
            state.typing = nil
            guard let request = request(prompt, state) else { return .redraw }
            return .perform(request)
        case (.confirming, .character("n")), (.confirming, .character("N")), (_, .escape):
            state.typing = nil
            state.notice = .info("nothing done")
            return .redraw
        case (.confirming, .enter):
            return []   // y or n: Enter alone must not sell a record
        case (_, .control), (_, .resize):
            return nil
        default:
            return []
        }
        state.typing = .prompt(prompt)
        return .redraw
    }

    /// What is wrong with the value typed, said at Enter, before the y/n (a price of 1e9 or a
    /// 300-character bin was refused only after `y`).
    static func problem(_ prompt: CounterPrompt) -> String? {
        if case .orderStatus = prompt.intent { return FieldRules.orderMessage(prompt.text).map(FieldProblemText.sentence) }
        guard case .action(let kind) = prompt.intent else { return nil }
        return TypedValue(kind).problem(prompt.text, prompt.listing)
    }

    static func request(_ prompt: CounterPrompt, _ state: AppState) -> CounterRequest? {
        if case .giveUpHold(let alert) = prompt.intent { return .giveUpHold(listingID: alert.sale.listingID) }
        if case .orderStatus(let choice) = prompt.intent {
            guard let status = choice.chosen else { return nil }
            let message = prompt.text.trimmingCharacters(in: .whitespaces)
            return .orderStatus(orderID: choice.orderID, status: status, message: message.isEmpty ? nil : message)
        }
        guard case .action(let kind) = prompt.intent else { return .undo }
        guard let listing = prompt.listing else { return nil }
        // What the staff member was shown of the fields the action changes: if the mirror holds
        // something else by now, the request is refused rather than acting on a record they
        // did not see.
        var request = ActionRequest(kind, listingID: listing.id, seen: ListingFields(kind.spec.fields, of: listing.record))
        TypedValue(kind).fill(&request, from: prompt.text)
        return .act(request)
    }

    /// What the keys do while a value is typed (beside it, on the prompt line).
    static func typingNote(_ prompt: CounterPrompt) -> String {
        if case .action(.hold) = prompt.intent { return "a name or a note · Enter: next · Esc: cancel" }
        if prompt.replacesOnTyping { return "type a new value · Enter keeps it · Esc: cancel" }
        return "Enter: next · Esc: cancel"
    }

    /// The question on the prompt line: the record named, and what will happen on Discogs.
    static func question(_ prompt: CounterPrompt, soldInShop: SoldInShopMode = .draft, undoing: String? = nil) -> String {
        if case .orderStatus(let choice) = prompt.intent { return question(choice, prompt) }
        if case .giveUpHold(let alert) = prompt.intent {
            let record = alert.order?.items.first { $0.record.listingID == alert.sale.listingID }.map(OrderFormat.name) ?? "the record"
            return "Give \(record) to the buyer \(alert.order?.record.buyer ?? "") and tell \(alert.sale.customer ?? "the customer") it is gone? y/n"
        }
        guard case .action(let kind) = prompt.intent, let listing = prompt.listing else {
            return undoing.map { "Undo \($0)? y/n" } ?? "Undo your last action? y/n"
        }
        let what = ListingFormat.describe(listing)
        if prompt.step == .typing { return TypedValue(kind).question(listing) }
        let typed = prompt.text.trimmingCharacters(in: .whitespaces)
        return switch kind {
        case .sell:
            soldInShop == .delete ? "Sold in the shop: \(what)? It is deleted on Discogs, for good. y/n"
                : "Sold in the shop: \(what)? It becomes a Draft on Discogs (u undoes). y/n"
        case .hold: typed.isEmpty ? "Hold \(what) for a customer? y/n" : "Hold \(what) for \(typed)? y/n"
        case .release: "Put \(what) back on sale? y/n"
        case .price: "Reprice \(what) to \(Money.format(TypedValue.price(typed) ?? 0, currency: listing.record.priceCurrency))? y/n"
        case .move: "Move \(what) to \(typed.isEmpty ? "no bin" : typed)? y/n"
        case .comment: "Replace the comments of \(ListingFormat.name(listing)) as shown? y/n"
        case .orderStatus: "Change the order's status? y/n"
        case .create: "List \(what) on Discogs? y/n"
        case .priceRun: "Send the reprice run? y/n"
        }
    }

    /// What a question shows above it, whole (the comments being replaced and the new ones).
    static func details(_ prompt: CounterPrompt) -> [String] {
        guard prompt.step == .confirming, case .action(.comment) = prompt.intent, let listing = prompt.listing else { return [] }
        let old = listing.record.comments ?? ""
        return ["Now: " + (old.isEmpty ? "(no comments)" : old), "New: " + (prompt.text.isEmpty ? "(no comments)" : prompt.text)]
    }

    /// "Order 1-2 (Payment Received) to: 1 In Progress · 2 Shipped", then the message, then y/n.
    private static func question(_ choice: OrderStatusChoice, _ prompt: CounterPrompt) -> String {
        let order = "order \(choice.orderID)\(choice.buyer.map { " (\($0))" } ?? "")"
        switch prompt.step {
        case .choosing:
            return "\(order.prefix(1).uppercased() + order.dropFirst()), \(choice.current) → press a number, Esc cancels"
        case .typing:
            return "Message to the buyer with Shipped (a tracking number; Enter: none): "
        case .confirming:
            let message = prompt.text.trimmingCharacters(in: .whitespaces)
            return "Move \(order) from \(choice.current) to \(choice.chosen ?? "?")\(message.isEmpty ? "" : ", telling the buyer “\(message)”")? y/n"
        }
    }
}
