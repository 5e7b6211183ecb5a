import Foundation
import WaxStore

public struct SyncOptions: Sendable {
    public enum Enrichment: Sendable, Equatable {
        /// Listings only (`wax sync --listings-only`).
        case none
        /// As many releases as the rate window allows right now, without waiting for it; the rest
        /// waits for the next sync.
        case budget
        /// Every missing release, waiting on the rate window as needed (background syncs).
        case all
    }

    public var seller: String
    /// The inventory status mirrored (Discogs' `For Sale` unless configured).
    public var status = ListingStatus.forSale
    public var trigger: SyncTrigger
    public var enrichment = Enrichment.budget
    /// Verification and enrichment requests in flight at once.
    public var concurrency = 4
    /// Releases stored per transaction while enriching.
    public var releaseBatch = 25
    public var exportPollInterval: TimeInterval = 2
    public var exportTimeout: TimeInterval = 900
    /// Listings a snapshot holds in memory before it writes them all to a spool file: an hourly
    /// sync's few changes stay in memory, a first sync's shop goes to disk (`SnapshotListings`).
    public var spoolPast = 5_000
    /// Where the spool file goes (nil: the mirror's folder).
    public var spoolDirectory: URL?
    /// Fault injection for tests: hold the apply transaction open this long before committing.
    public var pauseBeforeCommit: TimeInterval = 0

    public init(seller: String, trigger: SyncTrigger) {
        self.seller = seller
        self.trigger = trigger
    }
}
