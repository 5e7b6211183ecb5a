import Foundation
import WaxStore
import WaxText

/// How orders read on screen: short, the words staff use.
public enum OrderFormat {
    /// `VG+/VG`: the codes in Discogs' "Very Good Plus (VG+)".
    public static func conditions(_ item: OrderItemRecord) -> String {
        ListingFormat.conditions(media: item.mediaCondition, sleeve: item.sleeveCondition)
    }

    public static func total(_ order: OrderRecord) -> String {
        order.total.map { Money.format($0, currency: order.totalCurrency) } ?? "—"
    }

    /// The lines of an opened order: what staff need to pack it and answer the buyer.
    public static func detailLines(_ order: Order, time: LocalTime, width: Int) -> [(String, StyleRole)] {
        let r = order.record
        var lines: [(String, StyleRole)] = []
        var head = "Order \(r.id) · \(r.status) · \(r.buyer ?? "?") · \(total(r))"
        if let fee = r.fee { head += " (fee \(Money.format(fee, currency: r.feeCurrency ?? r.totalCurrency)))" }
        if let created = r.createdAt { head += " · ordered \(time.minute(created))" }
        lines.append((head, .label))
        if let double = order.doubleSale {
            lines.append(("DOUBLE SALE: this order bought a record \(double). Contact the buyer now.", .statusError))
        }
        let next = r.nextStatus.filter { $0 != r.status }
        lines.append((next.isEmpty ? "Discogs offers no other status." : "Next: \(next.joined(separator: ", "))   (t moves it on)", .dim))
        lines.append(("", .normal))
        lines.append(("Items", .label))
        for item in order.items {
            var line = "  [\(item.location ?? "no bin")] \(item.name) · \(conditions(item.record)) · "
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
