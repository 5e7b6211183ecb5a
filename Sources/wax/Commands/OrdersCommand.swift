import ArgumentParser
import Foundation
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore
import WaxSync
import WaxText
import WaxUI

/// `wax orders`: the Discogs orders in the mirror, the pick list, and moving orders on.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Discogs orders: open ones first, the pick list by bin, shipping and status changes.",
        subcommands: [OrdersList.self, OrdersShow.self, OrdersPickList.self, OrdersShip.self, OrdersStatus.self],
        defaultSubcommand: OrdersList.self
    )

    /// Polls Discogs once (the seller's token needed), for `--sync` and `wax sync`: nil when
    /// another wax polls this mirror right now.
    static func pollOnce(_ context: AppContext, _ inventory: InventoryService, client: DiscogsClient? = nil,
                         trigger: String) async throws -> OrdersPoller.Outcome? {
        let client = try client ?? SyncSetup.client(context).0
        do {
            return try await OrdersPoller(inventory: inventory, client: client, logger: context.logger).pollOnce(trigger: trigger)
        } catch DiscogsError.tokenRejected {
            throw Failure.tokenRejected("Discogs refused the orders (401): they need the seller's own token")
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.failed("\(error)")
        }
    }

    /// "orders: 2 new, 1 changed, 1 listing sold on Discogs (3 requests)", or who polls instead.
    static func describe(_ outcome: OrdersPoller.Outcome?) -> String {
        guard let outcome else { return "orders: another wax polls this mirror's orders now" }
        let a = outcome.applied
        var text = "orders: \(a.new.count) new, \(a.changed.count) changed"
        if a.listingsSold > 0 { text += ", \(a.listingsSold) listing\(a.listingsSold == 1 ? "" : "s") sold on Discogs" }
        text += " (\(outcome.requests) request\(outcome.requests == 1 ? "" : "s"))"
        if !a.doubleSales.isEmpty { text += "; DOUBLE SALE: order \(a.doubleSales.joined(separator: ", ")) (see wax orders)" }
        return text
    }

    static func object(_ order: Order) -> JSONValue {
        let r = order.record
        return .object([
            "id": .string(r.id), "status": .string(r.status.rawValue), "next_status": .array(r.nextStatus.map { .string($0.rawValue) }),
            "created": JSONValue(r.created), "last_activity": JSONValue(r.lastActivity), "buyer": JSONValue(r.buyer),
            "total": JSONValue(r.total), "currency": JSONValue(r.totalCurrency), "fee": JSONValue(r.fee),
            "shipping_method": JSONValue(r.shippingMethod), "shipping": JSONValue(r.shippingValue), "shipping_address": JSONValue(r.shippingAddress),
            "additional_instructions": JSONValue(r.instructions), "archived": .bool(r.archived),
            "double_sale": order.unresolvedDoubleSales.first.map { doubleSale($0, order) } ?? .null,
            "double_sales": .array(order.doubleSales.map { doubleSale($0, order) }),
            "items": .array(order.items.map(item)),
            "messages": .array(order.messages.map { m in
                .object(["type": JSONValue(m.type), "message": JSONValue(m.message), "timestamp": JSONValue(m.sentAt), "from": JSONValue(m.from)])
            }),
        ])
    }

    static func doubleSale(_ double: DoubleSale, _ order: Order) -> JSONValue {
        .object(["listing_id": .string(String(double.listingID)), "cause": .string(double.cause.rawValue), "user": .string(double.user),
                 "customer": JSONValue(double.customer), "flagged_at": JSONValue(double.flaggedAt.map(Timestamp.string)),
                 "message": .string(OrderFormat.doubleSale(double, in: order)),
                 "resolved": double.resolution.map { .object(["by": .string($0.by), "how": .string($0.how),
                                                               "at": JSONValue($0.at.map(Timestamp.string))]) } ?? .null])
    }

    static func item(_ item: Order.Item) -> JSONValue {
        .object(["listing_id": .string(String(item.record.listingID)), "release_id": JSONValue(item.record.releaseID),
                 "description": JSONValue(item.record.description), "artist": JSONValue(item.artist), "title": JSONValue(item.title),
                 "location": JSONValue(item.location), "price": JSONValue(item.record.price), "currency": JSONValue(item.record.currency),
                 "media_condition": JSONValue(item.record.mediaCondition), "sleeve_condition": JSONValue(item.record.sleeveCondition),
                 "in_mirror": .bool(item.inMirror), "picked_by": JSONValue(item.pickedBy)])
    }
}

struct OrdersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Orders, open ones first (double sales flagged).")
    @Option(help: "Only this status (\"Payment Received\", \"Shipped\"…).") var status: String?
    @Flag(help: "Only open orders (not shipped, cancelled or refunded).") var open = false
    @Flag(help: "Poll Discogs once first (the seller's token).") var sync = false
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        try await Failure.reporting {
            let context = try AppContext.load()
            let inventory = try context.openInventory()
            if sync { Console.note(OrdersCommand.describe(try await OrdersCommand.pollOnce(context, inventory, trigger: "wax orders --sync"))) }
            let orders = try inventory.orderBook.orders(openOnly: open, status: status)
            // Every double sale nobody resolved, whatever the filter or format: each on stderr,
            // saying whom to call.
            defer {
                for double in (try? inventory.orderBook.unresolvedDoubleSales()) ?? [] {
                    Console.error(OrderFormat.doubleSale(double, in: try? inventory.orderBook.order(id: double.orderID)))
                }
            }
            if json {
                Console.out(JSONValue.array(orders.map(OrdersCommand.object)).prettyText + "\n")
                return
            }
            var table = TextTable(columns: [.init("Order", minimum: 9), .init("Status", minimum: 10), .init("Age", minimum: 5), .init("Buyer", minimum: 6),
                                            .init("Total", minimum: 8), .init("Items", minimum: 12), .init("!", minimum: 1)])
            let now = Date()
            for order in orders {
                let r = order.record
                let items = order.items.map { "\(OrderFormat.name($0))\($0.location.map { " [\($0)]" } ?? "")" }.joined(separator: "; ")
                let flag = order.unresolvedDoubleSales.first.map { "DOUBLE SALE: \(OrderFormat.cause($0))" } ?? ""
                table.rows.append([r.id, r.status.rawValue, r.age(now: now), r.buyer ?? "", OrderFormat.total(r), items, flag])
            }
            Console.out(table.render(maxWidth: Console.terminalWidth) + "\(orders.count) orders, \(orders.filter(\.isOpen).count) open\n")
        }
    }
}

struct OrdersShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One order: items with bins, the address, the instructions, the messages.")
    @Argument(help: "The order id, e.g. 1234567-12.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try Failure.reporting {
            let inventory = try AppContext.load().openInventory()
            guard let order = try inventory.orderBook.order(id: id) else { throw Failure.configuration("no order \(id) in the mirror (wax orders --sync reads them from Discogs)") }
            if json {
                Console.out(OrdersCommand.object(order).prettyText + "\n")
                return
            }
            let r = order.record
            var out = "order \(r.id) · \(r.status) · \(r.buyer ?? "?") · \(r.total.map { Money.format($0, currency: r.totalCurrency) } ?? "")\n"
            for double in order.doubleSales { out += OrderFormat.doubleSale(double, in: order) + "\n" }
            out += "next: \(r.nextStatus.filter { $0 != r.status }.map(\.rawValue).joined(separator: ", "))\n\nitems:\n"
            for item in order.items {
                out += "  [\(item.location ?? "no bin")] \(OrderFormat.name(item)) · \(OrderFormat.conditions(item.record)) · "
                out += "\(item.record.price.map { Money.format($0, currency: item.record.currency) } ?? "")\(item.inMirror ? "" : " (not in the mirror)")\n"
            }
            out += "\nship to:\n" + (r.shippingAddress ?? "").split(separator: "\n").map { "  \($0)" }.joined(separator: "\n") + "\n"
            if let instructions = r.instructions, !instructions.isEmpty { out += "\ninstructions: \(instructions)\n" }
            if !order.messages.isEmpty {
                out += "\nmessages (newest first):\n"
                for m in order.messages { out += "  \(m.sentAt ?? "") \(m.from ?? ""): \(m.message ?? "")\n" }
            }
            Console.out(out)
        }
    }
}

struct OrdersPickList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pick-list", abstract: "Every item of the paid, unshipped orders, by bin (C2, C3, C27): printable.")
    @Flag(help: "Print CSV.") var csv = false
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        try Failure.reporting {
            let items = try AppContext.load().openInventory().orderBook.pickList()
            if json {
                Console.out(JSONValue.array(items.map { p in
                    var object: [String: JSONValue] = ["order_id": .string(p.orderID), "buyer": JSONValue(p.buyer), "status": .string(p.status.rawValue),
                                                       "double_sale": .bool(p.doubleSale != nil)]
                    if case .object(let item) = OrdersCommand.item(p.item) { object.merge(item) { a, _ in a } }
                    return .object(object)
                }).prettyText + "\n")
            } else if csv {
                var out = CSVReader.line(["bin", "artist", "title", "condition", "listing_id", "order_id", "buyer", "picked_by", "note"])
                for p in items {
                    out += CSVReader.line([p.item.location ?? "", p.item.artist ?? p.item.record.description ?? "", p.item.title ?? "",
                                           p.item.record.mediaCondition ?? "", String(p.item.record.listingID), p.orderID, p.buyer ?? "", p.item.pickedBy ?? "",
                                           p.doubleSale.map { "DOUBLE SALE, do not pick: \(OrderFormat.cause($0))" } ?? ""])
                }
                Console.out(out)
            } else {
                var table = TextTable(columns: [.init("Bin", minimum: 4), .init("Artist – Title", minimum: 14), .init("Cond", minimum: 4),
                                                .init("Order", minimum: 9), .init("Buyer", minimum: 6), .init("Picked", minimum: 6)])
                for p in items {
                    let picked = p.doubleSale.map { "DO NOT PICK: double sale, \(OrderFormat.cause($0))" } ?? p.item.pickedBy.map { "✓ \($0)" } ?? ""
                    table.rows.append([p.item.location ?? "—", OrderFormat.name(p.item), OrderFormat.conditions(p.item.record), p.orderID, p.buyer ?? "", picked])
                }
                let toPick = items.filter { $0.doubleSale == nil }
                let doubles = items.count - toPick.count
                Console.out(table.render(maxWidth: Console.terminalWidth) + "\(toPick.count) items to pick from \(Set(toPick.map(\.orderID)).count) orders"
                            + (doubles > 0 ? "; \(doubles) double-sold: do not pick (see wax orders)" : "") + "\n")
            }
        }
    }
}

/// `wax orders ship ID [--message]` and `wax orders status ID STATUS`: through the outbox.
struct OrdersShip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ship", abstract: "Mark an order Shipped on Discogs, with a message to the buyer (a tracking number).")
    @Argument(help: "The order id.") var id: String
    @Option(help: "A message sent with it (the tracking number).") var message: String?
    @OptionGroup var options: CounterOptions

    func run() async throws {
        try await Failure.reporting {
            try await OrdersStatus.change(id, to: "Shipped", message: message, options)
        }
    }
}

struct OrdersStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Move an order to a status Discogs offers for it (see wax orders show).")
    @Argument(help: "The order id.") var id: String
    @Argument(help: "The new status, e.g. \"In Progress\".") var status: String
    @Option(help: "A message to the buyer sent with it.") var message: String?
    @OptionGroup var options: CounterOptions

    func run() async throws {
        try await Failure.reporting {
            try await Self.change(id, to: status, message: message, options)
        }
    }

    static func change(_ id: String, to status: String, message: String?, _ options: CounterOptions) async throws {
        let counter = try Counter.open(options)
        let action: CounterAction
        do {
            action = try counter.inventory.orderBook.enqueueStatus(orderID: id, status: OrderStatus(rawValue: status), message: message, user: counter.user)
        } catch let refusal as ActionRefusal {
            throw refusal.cause == .usage ? Failure.configuration(refusal.description) : Failure.failed(refusal.description)
        }
        try await counter.settle(action, options)
    }
}
