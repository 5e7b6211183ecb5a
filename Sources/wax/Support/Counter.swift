import ArgumentParser
import Foundation
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore
import WaxSync

/// Options every counter command shares.
struct CounterOptions: ParsableArguments {
    @Flag(help: "Print the action as JSON.") var json = false
    @Option(help: "Seconds to wait for Discogs to confirm before answering `queued` (default 10).") var wait: Double = 10
    @Flag(help: "Refuse to act (as WAX_READ_ONLY=true does).") var readOnly = false
}

/// What the counter commands share: who may act, queueing, waiting for the confirmation, and
/// the one line (or JSON) that says how it ended.
struct Counter {
    let context: AppContext
    let inventory: InventoryService
    /// This process's own sender, when it has the seller's token; nil when another wax (the
    /// `wax sync --watch` service) sends the outbox.
    let sender: OutboxSender?
    /// This process's client (with the token), shared with `sender`; nil without the token.
    let client: DiscogsClient?
    let user: String

    /// Whether this wax may act at all, and how its actions will reach Discogs. Exit 2 when not.
    static func open(_ options: CounterOptions) throws -> Counter {
        let context = try AppContext.load()
        // Before the mirror is opened: a read-only wax never creates one.
        if let reason = ActingRights.readOnlyReason(context, readOnly: options.readOnly) { throw Failure.configuration(reason) }
        let inventory = try context.openInventory()
        switch ActingRights.decide(context, inventory: inventory, readOnly: options.readOnly, canSend: context.settings.discogsToken != nil) {
        case .refused(let reason, let usage):
            throw usage ? Failure.configuration(reason) : Failure.failed(reason)
        case .sendsItself:
            let (client, seller) = try SyncSetup.client(context)
            let sender = SyncSetup.sender(context, inventory: inventory, client: client, seller: seller)
            return Counter(context: context, inventory: inventory, sender: sender, client: client, user: StaffUser.current())
        case .queuesForAnotherWax:
            return Counter(context: context, inventory: inventory, sender: nil, client: nil, user: StaffUser.current())
        }
    }

    var soldInShop: SoldInShopMode { SoldInShopMode(rawValue: context.settings.soldInShop) ?? .draft }

    /// Queues `request`, waits up to `wait` seconds for Discogs, and reports.
    func act(_ request: ActionRequest, _ options: CounterOptions) async throws {
        let action: CounterAction
        do {
            action = try inventory.outbox.enqueue(request, user: user)
        } catch let refusal as ActionRefusal {
            throw refusal.cause == .usage ? Failure.configuration(refusal.description) : Failure.failed(refusal.description)
        }
        try await settle(action, options)
    }

    /// Waits for `action` to be confirmed or refused (sending it when this process can), then
    /// prints the outcome: a refusal is exit 1; still on its way is `queued` and exit 5, so that
    /// a script never reads "not yet" as done.
    func settle(_ action: CounterAction, _ options: CounterOptions) async throws {
        let deadline = Date().addingTimeInterval(max(0, options.wait))
        let unusable = await send(until: deadline, trigger: "wax \(action.kind.rawValue)")
        var latest = try inventory.outbox.action(id: action.id) ?? action
        while latest.state.isOpen, Date() < deadline, unusable == nil {
            try await Task.sleep(for: .milliseconds(200))
            latest = try inventory.outbox.action(id: action.id) ?? latest
        }
        report(latest, options)
        if let unusable, latest.state.isOpen {
            // This wax can't send at all (Discogs redirects elsewhere, another user's token): say why, now.
            throw Failure.failed(unusable)
        }
        if latest.state == .conflict || latest.state == .failed { throw ExitStatus.failure.code }
        if latest.state.isOpen { throw ExitStatus.queued.code }
    }

    /// Waits for every one of `actions` the same way (one drain sends them all) and returns
    /// them as they ended, without printing.
    func settleAll(_ actions: [CounterAction], _ options: CounterOptions) async throws -> [CounterAction] {
        guard !actions.isEmpty else { return [] }
        let deadline = Date().addingTimeInterval(max(0, options.wait))
        _ = await send(until: deadline, trigger: "wax add")
        var latest = try actions.map { try inventory.outbox.action(id: $0.id) ?? $0 }
        while latest.contains(where: { $0.state.isOpen }), Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            latest = try latest.map { try inventory.outbox.action(id: $0.id) ?? $0 }
        }
        return latest
    }

    /// Sends with this process's own sender until nothing it can send is left or `deadline`
    /// passes (a request still on its way then is cancelled). An attempt that failed is tried
    /// again when its back-off ends, within the wait: one hiccup from Discogs left `wax price
    /// --wait 300` idle for five minutes, then `queued`. Returns why this wax cannot send at
    /// all, when that is how it ended.
    func send(until deadline: Date, trigger: String) async -> String? {
        guard let sender else { return nil }
        let sending = Task { () -> String? in
            while !Task.isCancelled {
                switch await sender.drain(trigger: trigger) {
                case .unusable(let reason): return reason
                case .done, .busy: return nil
                case .waiting(let until, _, _):
                    guard until < deadline else { return nil }
                    try? await Task.sleep(for: .seconds(max(0.05, until.timeIntervalSinceNow)))
                }
            }
            return nil
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
            sending.cancel()
        }
        defer { timer.cancel() }
        return await sending.value
    }

    func report(_ action: CounterAction, _ options: CounterOptions) {
        if options.json {
            Console.out(ActionJSON.object(action).prettyText + "\n")
            return
        }
        let what = "#\(action.id) \(ActionText.summary(action)): \(Self.describe(action))"
        switch action.state {
        case .confirmed:
            Console.out("\(what): confirmed on Discogs\n")
        case .conflict, .failed:
            Console.error("\(what): \(action.state.rawValue.uppercased()): \(action.message ?? "refused")")
        case .cancelled:
            Console.out("\(what): cancelled\n")
        case .queued, .sending, .sent:
            let waiting = (try? inventory.outbox.openCount()) ?? 1
            Console.out("\(what): queued (\(waiting) change\(waiting == 1 ? "" : "s") waiting for Discogs; \(whoSends))\(action.message.map { ": \($0)" } ?? "")\n")
        }
    }

    /// Who will send what is still queued once this command has gone.
    private var whoSends: String {
        if let holder = DatabaseLock.holder(forDatabase: inventory.database.path, job: .outbox) {
            return "the wax that sends this shop's outbox sends it (\(holder))"
        }
        return sender == nil ? "the wax that sends this shop's outbox sends it when it runs"
            : "nothing sends it until a wax with the token runs again: `wax outbox send`, the browser or the wax-sync service"
    }

    static func describe(_ action: CounterAction) -> String {
        if let orderID = action.orderID { return "order \(orderID)" }
        let record = [action.artist, action.title].compactMap { $0 }.joined(separator: " – ")
        let bin = action.location.map { ", bin \($0)" } ?? ""
        return "\(action.target) \(record.isEmpty ? "" : "\(record)")\(bin)"
    }
}

/// A listing id as staff type it (or a barcode scanner: digits only).
struct ListingID: ExpressibleByArgument {
    let value: Int64
    init?(argument: String) {
        guard let id = Int64(argument.trimmingCharacters(in: .whitespaces)), id > 0 else { return nil }
        value = id
    }
}

/// A price as staff type it: `12.50`, `12,50`, `12.50 EUR`, `EUR 12.50`.
struct PriceArgument: ExpressibleByArgument {
    let value: Double
    let currency: String?

    init?(argument: String) {
        var currency: String?
        var number = ""
        for word in argument.split(whereSeparator: { $0 == " " }) {
            if word.allSatisfy(\.isLetter), word.count == 3 { currency = word.uppercased() } else { number += word }
        }
        if number.count > 3, let letters = Optional(number.suffix(3)), letters.allSatisfy(\.isLetter) {
            currency = letters.uppercased()
            number = String(number.dropLast(3))
        }
        number = number.replacingOccurrences(of: ",", with: ".")
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), number.filter({ $0 == "." }).count <= 1,
              let value = Double(number), value.isFinite else { return nil }
        self.value = value
        self.currency = currency
    }
}
