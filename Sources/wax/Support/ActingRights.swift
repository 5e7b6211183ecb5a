import Foundation
import WaxConfig
import WaxStore
import WaxSync

/// Whether staff may act from this wax, and how their actions reach Discogs: decided here once
/// for the browser and the counter commands (each had its own copy of the rules).
enum ActingRights: Equatable {
    /// This wax has the seller's token: it sends what it queues.
    case sendsItself
    /// No token here, but another wax (the `wax sync --watch` service) sends this mirror's
    /// outbox: actions are queued for it.
    case queuesForAnotherWax
    /// No actions from here, and why; `usage` when it is this wax's settings (exit 2), not the
    /// mirror (exit 1).
    case refused(String, usage: Bool)

    /// Why this wax is read-only by its settings (known before the mirror is opened), or nil.
    static func readOnlyReason(_ context: AppContext, readOnly: Bool) -> String? {
        guard readOnly || context.settings.readOnly else { return nil }
        return "wax is read-only here (\(readOnly ? "--read-only" : "WAX_READ_ONLY=true")): staff can look but not act"
    }

    /// `canSend`: this wax can reach Discogs as the seller (it has the token, and for the
    /// browser a sync set up with it).
    static func decide(_ context: AppContext, inventory: InventoryService, readOnly: Bool, canSend: Bool) -> ActingRights {
        if let reason = readOnlyReason(context, readOnly: readOnly) { return .refused(reason, usage: true) }
        if let reason = inventory.database.readOnlyReason {
            return .refused("actions are off: the mirror can't be written (\(reason))", usage: false)
        }
        if canSend { return .sendsItself }
        if DatabaseLock.holder(forDatabase: inventory.database.path, job: .outbox) != nil { return .queuesForAnotherWax }
        return .refused("actions need the seller's Discogs token: set DISCOGS_TOKEN here, or run `wax sync --watch` (the wax-sync service) with it, which sends what staff queue",
                        usage: true)
    }
}
