import Foundation
import WaxStore

/// Why wax did not do what staff asked, in one line each: the store says which reason, this
/// says it in words (the browser's message line, the CLI's error).
public enum RefusalText {
    public static func sentence(_ reason: ActionRefusal.Reason) -> String {
        switch reason {
        case .noListing(let id): "no listing \(id) in the mirror"
        case .noAction(let id): "no action #\(id) in the outbox"
        case .noOrder(let id): "no order \(id) in the mirror (wax orders --sync reads them from Discogs)"
        case .invalid(let problem): FieldProblemText.sentence(problem)
        case .orderStatusNotOffered(let order, let current, let offered):
            "order \(order) is \(current): Discogs offers \(offered.isEmpty ? "no other status" : offered.map(\.rawValue).joined(separator: ", "))"
        case .orderStatusElsewhere: "an order's status is changed with `wax orders status`"
        case .intakeElsewhere: "a new listing is made with `wax add` (or `a` in the browser)"
        case .repriceElsewhere: "a reprice run is made with `wax reprice` (or `R` in the browser)"
        case .cannotReprice(let why): why
        case .noRun(let id): "no reprice run \(id) in the mirror (wax reprice --runs lists them)"
        case .unknownRelease(let id): "Discogs has no release \(id)"
        case .notListedYet: "this record is still waiting to be listed on Discogs: act on it once it is (its sticker comes then)"
        case .otherCurrency(let listing, let currency, let asked):
            "listing \(listing) is priced in \(currency); wax can't change its currency (you gave \(asked))"
        case .unchanged(let listing, let field, let value): unchanged(listing, field, value)
        case .notForSale(let listing, let why): "listing \(listing) is not for sale any more (\(why))"
        case .changedSinceSeen(let listing, let difference): "listing \(listing) changed since you looked (\(difference.said())): look again"
        case .severalCopies(let listing, let quantity):
            "listing \(listing) has \(quantity) copies: Discogs' API cannot lower a quantity, so sell this one on the Discogs website"
        case .alreadySoldOnDiscogs(let listing): "listing \(listing) is already sold on Discogs: this would be a double sale"
        case .alreadyHeld(let listing): "listing \(listing) is already held"
        case .cannotHold(let listing, let status): "listing \(listing) is \(status) on Discogs: only a listing for sale can be held"
        case .notHeld(let listing): "listing \(listing) is not held: there is nothing to release"
        case .notDoubleSoldHold(let listing): "listing \(listing) is not a held record an online buyer also bought"
        case .nothingToUndo: "nothing of yours to undo"
        case .cannotUndo(_, .buyerTold): "an order's status can't be undone: Discogs has told the buyer"
        case .cannotUndo(let action, .wholeRun):
            "#\(action.id) is a reprice run: undo it as a run, `wax reprice --undo \(action.runID.map(String.init) ?? "N")` (previewed first)"
        case .cannotUndo(let action, .listedNew):
            "#\(action.id) listed a new record on Discogs: sell it, hold it, or delete it on the website; wax does not undo a listing"
        case .deletedOnDiscogs(let action):
            "#\(action.id) deleted listing \(action.listingID.map(String.init) ?? "?") on Discogs: it can only be listed again on the website"
        case .beingSent(let action, .undo):
            "#\(action.id) (\(ActionText.summary(action))) is being sent to Discogs right now: undo it once it is confirmed"
        case .beingSent(let action, .cancel): "#\(action.id) is being sent to Discogs right now: it can't be cancelled"
        case .alreadyFinal(let action): "#\(action.id) is \(action.state.rawValue): there is nothing to cancel"
        case .notRetryable(let action):
            action.state == .conflict
                ? "#\(action.id) was refused because Discogs holds something else (\(action.message ?? "a conflict")): look at the listing and act again"
                : "#\(action.id) is \(action.state.rawValue): only a failed action can be retried"
        }
    }

    private static func unchanged(_ listing: Int64, _ field: EditableField, _ value: FieldValue?) -> String {
        switch (field, value) {
        case (.price, .money(let amount, let currency)?): "listing \(listing) is already \(Money.format(amount, currency: currency))"
        case (.location, .text(let bin)?): "listing \(listing) is already in \(bin.isEmpty ? "no bin" : bin)"
        case (.comments, _): "listing \(listing) already has these comments"
        default: "listing \(listing) already has this \(field.name)"
        }
    }
}

/// What is wrong with a value staff typed, said where they typed it.
public enum FieldProblemText {
    public static func sentence(_ problem: FieldProblem) -> String {
        switch problem {
        case .priceOutOfRange(let limit):
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 2
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.usesGroupingSeparator = true
            formatter.groupingSeparator = ","
            return "a price must be a positive number up to \(formatter.string(from: NSNumber(value: limit)) ?? String(limit)), like 12.50"
        case .priceDecimals(let value, let currency, let allowed):
            let what = currency.map { "a price in \($0)" } ?? "a price"
            return "\(what) has \(allowed == 0 ? "no decimals" : "at most \(allowed) decimals") (you gave \(value)): nothing is rounded for you"
        case .tooLong(let field, let limit, let length):
            return field == .comments
                ? "comments have at most \(limit) characters (these have \(length))"
                : "\(name(field)) has at most \(limit) characters (this one has \(length))"
        case .controlCharacter(let field, let scalar, let oneLine):
            let character = scalar == "\n" ? "a line break" : scalar == "\t" ? "a tab" : String(format: "U+%04X", scalar.value)
            return "\(name(field)) can't hold \(character)\(oneLine ? ": it is one line" : "")"
        }
    }

    private static func name(_ field: FieldProblem.Field) -> String {
        switch field {
        case .location: "a location"
        case .comments: "comments"
        case .note: "a note"
        case .orderMessage: "a message"
        }
    }
}

// The store says why it refused; this module words it. The conformance lives here so that
// every `"\(refusal)"` (a CLI error, a log line) reads as staff read it, and no sentence is
// written in the store. Safe as long as WaxStore never declares its own.
extension ActionRefusal: CustomStringConvertible {
    public var description: String { RefusalText.sentence(reason) }
}
