import ArgumentParser
import Foundation
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore
import WaxSync
import WaxText

/// `wax outbox`: the actions on their way to Discogs, and what became of the recent ones.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Staff actions on their way to Discogs (queued, sent) and what became of them (confirmed, conflict, failed).",
        subcommands: [OutboxList.self, OutboxSend.self, OutboxRetry.self, OutboxCancel.self],
        defaultSubcommand: OutboxList.self
    )
}

struct OutboxList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List actions, newest first.")
    @Flag(help: "Only the ones not yet confirmed or refused.") var open = false
    @Option(help: "How many (default 50).") var limit = 50
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        try Failure.reporting {
            let inventory = try AppContext.load().openInventory()
            let actions = try inventory.outbox.actions(openOnly: open, limit: max(1, limit))
            if json {
                Console.out(JSONValue.array(actions.map(ActionJSON.object)).prettyText + "\n")
                return
            }
            var table = TextTable(columns: [.init("#", minimum: 3), .init("State", minimum: 9), .init("When", minimum: 16), .init("Who", minimum: 4),
                                            .init("Listing", minimum: 10), .init("Artist – Title", minimum: 12), .init("Action", minimum: 10),
                                            .init("Why", minimum: 8)])
            for action in actions {
                let target = ActionText.target(action)
                let record = action.listingID == nil ? "" : ListingFormat.name(artist: action.artist, title: action.title)
                table.rows.append([String(action.id), action.state.rawValue, LocalTime.system.minute(action.createdAt), action.user,
                                   target, record, ActionText.summary(action), action.message ?? ""])
            }
            let waiting = try inventory.outbox.openCount()
            var tail = "\(waiting) change\(waiting == 1 ? "" : "s") waiting for Discogs"
            if let trouble = try inventory.outboxQueue.trouble() {
                tail += "; Discogs is not answering (\(trouble.reason) since \(LocalTime.system.minute(trouble.since)))"
            }
            Console.out(table.render(maxWidth: Console.terminalWidth) + tail + "\n")
        }
    }
}

struct OutboxSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send what is queued now, whatever its next try (needs the seller's token).",
        discussion: "The background sender waits longer between tries while Discogs is down; this sends each waiting action once, now, and says what became of it."
    )
    @Flag(help: "Print the actions that were open, as they are now, as a JSON array.") var json = false

    func run() async throws {
        try await Failure.reporting {
            let context = try AppContext.load()
            let inventory = try context.openInventory()
            let (client, seller) = try SyncSetup.client(context)
            let sender = SyncSetup.sender(context, inventory: inventory, client: client, seller: seller)
            let open = try inventory.outbox.actions(openOnly: true, limit: 10_000).map(\.id)
            let outcome = await sender.drain(trigger: "wax outbox send", ignoringBackoff: true)
            let after = try open.sorted().compactMap { try inventory.outbox.action(id: $0) }
            if json { Console.out(JSONValue.array(after.map(ActionJSON.object)).prettyText + "\n") }
            switch outcome {
            case .done(let confirmed, let refused):
                if !json { Console.out("\(confirmed) confirmed, \(refused) refused; nothing left to send\n") }
                if refused > 0 { throw ExitStatus.failure.code }
            case .waiting(let until, let reason, let open):
                let sent = after.filter { !$0.state.isOpen }.count
                if !json {
                    Console.out("\(sent) sent; \(open) still waiting for Discogs (next try \(LocalTime.system.minute(until))): \(reason)\n")
                }
                throw ExitStatus.queued.code
            case .busy(let holder):
                // That wax looks at the outbox every second: what waits is due now for it.
                let due = try inventory.outboxQueue.makeWaitingDueNow()
                Console.note("another wax sends this outbox (\(holder)): \(due) waiting action\(due == 1 ? " is" : "s are") due now, it sends within seconds (see wax outbox)")
                throw ExitStatus.queued.code
            case .unusable(let reason):
                throw Failure.configuration(reason)
            }
        }
    }
}

struct OutboxRetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Queue a failed action again (once its cause is fixed).")
    @Argument(help: "The action's number (#).") var id: Int64
    @OptionGroup var options: CounterOptions

    func run() async throws {
        try await Failure.reporting {
            let counter = try Counter.open(options)
            do {
                try await counter.settle(try counter.inventory.outbox.retry(id), options)
            } catch let refusal as ActionRefusal {
                throw refusal.cause == .usage ? Failure.configuration(refusal.description) : Failure.failed(refusal.description)
            }
        }
    }
}

struct OutboxCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a queued action; the mirror is put back.")
    @Argument(help: "The action's number (#).") var id: Int64
    @Flag(help: "Print the action as JSON.") var json = false

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let inventory = try context.openInventory()
            do {
                let action = try inventory.outbox.cancel(id, by: StaffUser.current())
                Console.out(json ? ActionJSON.object(action).prettyText + "\n" : "#\(action.id) \(ActionText.summary(action)): cancelled\n")
            } catch let refusal as ActionRefusal {
                throw refusal.cause == .usage ? Failure.configuration(refusal.description) : Failure.failed(refusal.description)
            }
        }
    }
}
