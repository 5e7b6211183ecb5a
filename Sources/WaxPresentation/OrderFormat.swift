import Foundation
import WaxStore
import WaxText

/// How a line is meant to stand out; the browser gives each a style, the CLI prints them plain.
public enum Emphasis: Sendable, Equatable {
    case normal, label, dim
    /// Something staff must act on (a double sale).
    case alert
}

/// How orders read, on screen and in `wax orders`: short, the words staff use.
public enum OrderFormat {
    /// "Artist – Title", or Discogs' own description when the listing is not in the mirror.
    public static func name(_ item: Order.Item) -> String {
        if let artist = item.artist, let title = item.title { return ListingFormat.name(artist: artist, title: title) }
        return item.record.description ?? "listing \(item.record.listingID)"
    }

    /// `VG+/VG`: the codes in Discogs' "Very Good Plus (VG+)".
    public static func conditions(_ item: OrderItemRecord) -> String {
        ListingFormat.conditions(media: item.mediaCondition, sleeve: item.sleeveCondition)
    }

    public static func total(_ order: OrderRecord) -> String {
        order.total.map { Money.format($0, currency: order.totalCurrency) } ?? "—"
    }

    /// "held for Anna by bob", "sold in the shop by alice": why the shop no longer had it.
    public static func cause(_ double: DoubleSale) -> String {
        switch double.cause {
        case .sell: "sold in the shop by \(double.user)"
        case .hold: "held for \(double.customer ?? "a customer") by \(double.user)"
        }
    }

    /// The whole warning, with whom to call and how to resolve it; or, once resolved, who did.
    public static func doubleSale(_ double: DoubleSale, in order: Order?) -> String {
        let record = order?.items.first { $0.record.listingID == double.listingID }.map(name) ?? "listing \(double.listingID)"
        if let done = double.resolution {
            return "Double sale of \(record) resolved by \(done.by): \(done.how)"
        }
        let buyer = order?.record.buyer.map { "the buyer \($0)" } ?? "the buyer"
        let what = "DOUBLE SALE: order \(double.orderID) bought \(record), \(cause(double))"
        switch double.cause {
        case .sell:
            return "\(what): contact \(buyer), the record is gone (t cancels the order)"
        case .hold:
            let customer = double.customer ?? "the customer"
            return "\(what): contact \(customer) or \(buyer), only one gets it (t cancels the order; H gives it to the buyer)"
        }
    }

    /// The lines of an opened order: what staff need to pack it and answer the buyer.
    public static func detailLines(_ order: Order, time: LocalTime, width: Int) -> [(String, Emphasis)] {
        let r = order.record
        var lines: [(String, Emphasis)] = []
        var head = "Order \(r.id) · \(r.status) · \(r.buyer ?? "?") · \(total(r))"
        if let fee = r.fee { head += " (fee \(Money.format(fee, currency: r.feeCurrency ?? r.totalCurrency)))" }
        if let created = r.createdAt { head += " · ordered \(time.minute(created))" }
        lines.append((head, .label))
        for double in order.doubleSales {
            for line in DisplayWidth.wrap(doubleSale(double, in: order), to: max(10, width - 2)) {
                lines.append((line, double.resolution == nil ? .alert : .dim))
            }
        }
        let next = r.nextStatus.filter { $0 != r.status }
        lines.append((next.isEmpty ? "Discogs offers no other status." : "Next: \(next.map(\.rawValue).joined(separator: ", "))   (t moves it on)", .dim))
        lines.append(("", .normal))
        lines.append(("Items", .label))
        for item in order.items {
            var line = "  [\(item.location ?? "no bin")] \(name(item)) · \(conditions(item.record)) · "
            line += item.record.price.map { Money.format($0, currency: item.record.currency) } ?? "—"
            if !item.inMirror { line += " · not in the mirror" }
            if let picked = item.pickedBy { line += " · picked by \(picked)" }
            lines.append((line, .normal))
        }
        lines.append(("", .normal))
        var shipping = "Ship to"
        if let method = r.shippingMethod { shipping += " (\(method)\(r.shippingValue.map { ", " + Money.format($0, currency: r.shippingCurrency ?? r.totalCurrency) } ?? ""))" }
        lines.append((shipping, .label))
        for line in (r.shippingAddress ?? "no address given").split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(("  " + line, .normal))
        }
        if let instructions = r.instructions, !instructions.isEmpty {
            lines.append(("", .normal))
            lines.append(("Instructions", .label))
            for line in DisplayWidth.wrap(instructions, to: max(10, width - 4)) { lines.append(("  " + line, .normal)) }
        }
        lines.append(("", .normal))
        lines.append((order.messages.isEmpty ? "No messages." : "Messages", .label))
        for message in order.messages {
            let when = PostedDate.parse(message.sentAt).map(time.minute) ?? message.sentAt ?? ""
            lines.append(("  \(when)  \(message.from ?? message.type ?? "")", .dim))
            for line in DisplayWidth.wrap(message.message ?? message.subject ?? "", to: max(10, width - 6)) { lines.append(("    " + line, .normal)) }
        }
        return lines
    }
}
