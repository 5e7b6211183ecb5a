import Foundation
import WaxPresentation
import WaxStore

/// The orders view and the pick list, as plain values (`Session` reads them from the mirror).
public struct OrdersBoard: Sendable, Equatable {
    /// Open orders first, newest activity first within each.
    public var orders: [Order] = []
    public var cursor = 0
    /// The order opened with Enter: read again with its messages, shown in place of the list.
    public var open: Order?
    /// Lines scrolled in the open order.
    public var scroll = 0
    /// Every item of the paid, unshipped orders, by bin.
    public var pickItems: [PickItem] = []
    public var pickCursor = 0
    /// Orders that arrived since this browser last showed the orders view.
    public var newOrders = 0
    /// Double sales nobody has resolved yet, every staff member's: said in every browser's
    /// status bar until someone cancels the order or gives the hold up.
    public var doubleSales: [DoubleSaleAlert] = []

    public init() {}

    public var selected: Order? { orders.indices.contains(cursor) ? orders[cursor] : nil }
    public var selectedPick: PickItem? { pickItems.indices.contains(pickCursor) ? pickItems[pickCursor] : nil }

    /// The order a status change is about: the open one, the selected one, or (in the pick
    /// list) the selected item's.
    func target(in overlay: AppState.Overlay) -> Order? {
        if overlay == .pickList {
            guard let pick = selectedPick else { return nil }
            return orders.first { $0.id == pick.orderID }
        }
        return open ?? selected
    }
}

/// The orders keys: pure, as the rest of the reducer.
enum OrdersModel {
    /// `b` and `P`: open (or close) the orders view or the pick list.
    static func show(_ overlay: AppState.Overlay, _ state: inout AppState) -> Effects {
        guard state.overlay != overlay else {
            state.overlay = .none
            return .redraw
        }
        state.overlay = overlay
        state.returnTo = nil
        state.orders.open = nil
        state.orders.scroll = 0
        state.orders.newOrders = 0
        if overlay == .orders {
            state.orders.cursor = 0
        } else {
            state.orders.pickCursor = 0
        }
        return .loadOrders
    }

    static func move(by delta: Int, _ state: inout AppState) -> Effects {
        if state.overlay == .pickList {
            state.orders.pickCursor = clamp(state.orders.pickCursor + delta, state.orders.pickItems.count)
        } else if state.orders.open != nil {
            state.orders.scroll = max(0, state.orders.scroll + delta)
        } else {
            state.orders.cursor = clamp(state.orders.cursor + delta, state.orders.orders.count)
        }
        return .redraw
    }

    static func move(toEnd: Bool, _ state: inout AppState) -> Effects {
        if state.overlay == .pickList {
            state.orders.pickCursor = toEnd ? max(0, state.orders.pickItems.count - 1) : 0
        } else if state.orders.open != nil {
            state.orders.scroll = toEnd ? Int.max / 2 : 0
        } else {
            state.orders.cursor = toEnd ? max(0, state.orders.orders.count - 1) : 0
        }
        return .redraw
    }

    private static func clamp(_ value: Int, _ count: Int) -> Int { max(0, min(value, count - 1)) }

    /// Enter: the order's details (address, instructions, messages); from the pick list, the
    /// order the item belongs to.
    static func open(_ state: inout AppState) -> Effects {
        var order = state.orders.selected
        if state.overlay == .pickList {
            guard let pick = state.orders.selectedPick else { return [] }
            order = state.orders.orders.first { $0.id == pick.orderID }
            state.overlay = .orders
            state.returnTo = .pickList
            if let index = state.orders.orders.firstIndex(where: { $0.id == pick.orderID }) { state.orders.cursor = index }
        }
        guard let order else { return [] }
        state.orders.open = order
        state.orders.scroll = 0
        return .loadOrders
    }

    /// Esc in the orders view: from an order back to where it was opened (the orders, or the
    /// pick list at the same item), else out.
    static func back(_ state: inout AppState) -> Effects {
        if state.overlay == .orders, state.orders.open != nil {
            state.orders.open = nil
            if let origin = state.returnTo {
                state.returnTo = nil
                state.overlay = origin
            }
            return .redraw
        }
        state.overlay = .none
        return .redraw
    }

    /// Space in the pick list: picked, or not, for every wax sharing the mirror.
    static func togglePicked(_ state: inout AppState) -> Effects {
        guard let pick = state.orders.selectedPick else { return [] }
        if let double = pick.doubleSale {
            state.notice = .problem("do not pick: \(OrderFormat.doubleSale(double, in: state.orders.orders.first { $0.id == pick.orderID }))")
            return .redraw
        }
        // The next item comes up: picking walks down the list.
        state.orders.pickCursor = min(state.orders.pickCursor + 1, max(0, state.orders.pickItems.count - 1))
        return .perform(.setPicked(orderID: pick.orderID, listingID: pick.item.record.listingID, picked: pick.item.pickedBy == nil))
    }

    /// `H` on a double-sold hold: the online buyer gets the record (asked y/n).
    static func beginGiveUpHold(_ state: inout AppState) -> Effects {
        guard let order = state.orders.target(in: state.overlay),
              let alert = state.orders.doubleSales.first(where: { $0.sale.orderID == order.id && $0.sale.cause == .hold }) else {
            state.notice = .problem("H here gives a double-sold hold to the online buyer: this order has none")
            return .redraw
        }
        state.typing = .prompt(CounterPrompt(intent: .giveUpHold(alert), listing: nil, text: "", step: .confirming))
        return .redraw
    }

    /// `t`: choose one of the statuses Discogs offers for the order.
    static func beginStatus(_ state: inout AppState) -> Effects {
        if let refused = CounterModel.refusedWhenOff(&state) { return refused }
        guard let order = state.orders.target(in: state.overlay) else { return [] }
        let choices = order.record.nextStatus.filter { $0 != order.record.status }
        guard !choices.isEmpty else {
            state.notice = .problem("order \(order.id) is \(order.record.status): Discogs offers no other status")
            return .redraw
        }
        state.typing = .prompt(CounterPrompt(intent: .orderStatus(OrderStatusChoice(orderID: order.id, current: order.record.status, buyer: order.record.buyer,
                                                                                  choices: choices)),
                                            listing: nil, text: "", step: .choosing))
        return .redraw
    }
}

/// A double sale with its order (for the record's name and the buyer).
public struct DoubleSaleAlert: Sendable, Equatable {
    public var sale: DoubleSale
    public var order: Order?

    public init(sale: DoubleSale, order: Order?) {
        self.sale = sale
        self.order = order
    }

    var key: String { "\(sale.orderID)|\(sale.listingID)" }
}

/// An order status being chosen: the order, and the statuses Discogs offers (by number).
public struct OrderStatusChoice: Sendable, Equatable {
    public var orderID: String
    public var current: OrderStatus
    public var buyer: String?
    public var choices: [OrderStatus]
    public var chosen: OrderStatus?
}
