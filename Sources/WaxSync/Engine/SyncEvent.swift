import WaxStore

/// What a sync reports as it goes: the CLI draws a progress bar from these, the UI its status
/// bar. Plain values, safe to hand from the sync's queue to any other thread.
public enum SyncEvent: Sendable, Equatable {
    case started(seller: String, trigger: SyncTrigger)
    case identity(username: String, owner: Bool)
    /// Page `page` of `pages` read; `listings` collected so far.
    case page(Int, of: Int, listings: Int)
    case exporting(String)
    case waitingForRateLimit(seconds: Double)
    case retrying(attempt: Int, of: Int, reason: String)
    case verifying(Int, of: Int)
    case applying(listings: Int)
    case enriching(Int, of: Int)
    case finished(SyncSummary)
    case failed(SyncFailure)
}

/// What a finished sync did: what its apply changed (`applied`, whose counts read as the
/// summary's own: `summary.added`), and what the rest of the sync did.
@dynamicMemberLookup
public struct SyncSummary: Sendable, Equatable {
    public var applied = ApplyCounts()
    public var requests = 0
    public var rateLimited = 0
    public var seconds = 0.0
    public var releasesFetched = 0
    public var releasesPending = 0
    /// Listings Discogs counts but would not show (the non-owner page cap).
    public var unreachable = 0
    /// Removals were not checked because the inventory changed while it was being read.
    public var removalsDeferred = false
    /// Why enrichment stopped early, if it did (the listings are applied regardless).
    public var enrichmentNote: String?

    public init() {}

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ApplyCounts, Value>) -> Value {
        get { applied[keyPath: keyPath] }
        set { applied[keyPath: keyPath] = newValue }
    }
}

/// Why a sync did not happen or did not finish. The mirror is unchanged in every case.
public struct SyncFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another process holds the sync lock.
        case busy
        case tokenRejected
        /// No token, no seller, a bad URL.
        case configuration
        case failed
        case cancelled
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
