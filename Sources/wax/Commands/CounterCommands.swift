import ArgumentParser
import Foundation
import WaxPresentation
import WaxStore
import WaxUI

/// A counter command: says what it asks for; checking, queueing, waiting and reporting are
/// `Counter`'s.
protocol CounterCommand: AsyncParsableCommand {
    var options: CounterOptions { get }
    func request(_ counter: Counter) -> ActionRequest
}

extension CounterCommand {
    func run() async throws {
        try await Failure.reporting {
            let counter = try Counter.open(options)
            try await counter.act(request(counter), options)
        }
    }
}

/// `wax sell`: sold at the counter.
struct SellCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "sell",
        abstract: "A record sold in the shop: takes the listing off sale on Discogs (a Draft; WAX_SOLD_IN_SHOP=delete deletes it).",
        discussion: "The listing leaves wax's current listings at once (reason `sold in shop`, with your login). Refused when Discogs already sold it online (a double sale) or the listing has more than one copy."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        ActionRequest(.sell, listingID: listingID.value, soldInShop: counter.soldInShop)
    }
}

/// `wax hold`: kept aside for a customer.
struct HoldCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Keep a record aside for a customer: a Draft on Discogs, still in wax, marked held."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @Option(help: "Who it is for, until when.") var note: String?
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        ActionRequest(.hold, listingID: listingID.value, note: note)
    }
}

/// `wax release`: back on sale after a hold.
struct ReleaseCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Put a held record back on sale (For Sale on Discogs)."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        ActionRequest(.release, listingID: listingID.value)
    }

    /// A held record an online buyer bought too (a double sale): releasing it gives the
    /// record to the buyer, and resolves the double sale. Nothing goes to Discogs, where it is
    /// sold already.
    func run() async throws {
        try await Failure.reporting {
            let counter = try Counter.open(options)
            if let double = try counter.inventory.orderBook.unresolvedDoubleSale(listingID: listingID.value), double.cause == .hold {
                let resolved = try counter.inventory.orderBook.giveUpHold(listingID: listingID.value, user: counter.user)
                Console.out(OrderFormat.doubleSale(resolved, in: try counter.inventory.orderBook.order(id: resolved.orderID))
                            + "; tell \(resolved.customer ?? "the customer") it is gone\n")
                return
            }
            try await counter.act(request(counter), options)
        }
    }
}

/// `wax price`: reprice.
struct PriceCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "price",
        abstract: "Reprice a listing on Discogs (in its own currency).",
        discussion: "Refused when Discogs' price is no longer the one wax shows (someone changed it on the website): nothing is overwritten."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @Argument(help: "The new price: 12.50, or 12.50 EUR to say which currency you mean.") var price: PriceArgument
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        var request = ActionRequest(.price, listingID: listingID.value, price: price.value, currency: price.currency)
        request.priceLimit = counter.context.settings.maxPrice
        return request
    }
}

/// `wax move`: another bin.
struct MoveCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a record to another bin (the listing's location on Discogs)."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @Option(help: "The new bin, e.g. D4 (empty: no bin).") var location: String
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        ActionRequest(.move, listingID: listingID.value, location: location)
    }
}

/// `wax comment`: the listing's comments.
struct CommentCommand: CounterCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment",
        abstract: "Replace a listing's comments on Discogs (what buyers read about the copy)."
    )
    @Argument(help: "The listing id.") var listingID: ListingID
    @Argument(help: "The new comments (\"\" clears them).") var comments: String
    @OptionGroup var options: CounterOptions

    func request(_ counter: Counter) -> ActionRequest {
        ActionRequest(.comment, listingID: listingID.value, comments: comments)
    }
}

/// `wax undo`: your last action.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo your last action: cancelled if it has not left yet, else Discogs is put back as it was."
    )
    @OptionGroup var options: CounterOptions

    func run() async throws {
        try await Failure.reporting {
            let counter = try Counter.open(options)
            let outcome: UndoOutcome
            do {
                outcome = try counter.inventory.outbox.undoLast(user: counter.user)
            } catch let refusal as ActionRefusal {
                throw Failure.failed(refusal.description)
            }
            switch outcome {
            case .cancelled(let action):
                counter.report(action, options)
            case .queued(let action, _):
                try await counter.settle(action, options)
            }
        }
    }
}
