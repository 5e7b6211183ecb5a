import Foundation

/// What the fake Discogs serves and how it behaves.
public struct FakeConfiguration: Sendable {
    /// The seller whose inventory is served.
    public var seller = "freakinbeats"
    public var sellerID: Int64 = 4_242_424
    /// The token that owns the inventory (sees owner-only fields, drafts, sold listings; may export).
    public var ownerToken = "fake-owner-token"
    /// Other accepted tokens and the usernames they belong to (non-owners: paging cap, For Sale only).
    public var otherTokens: [String: String] = ["fake-visitor-token": "a_visitor"]
    public var inventory: InventorySource = .generated(seed: 1, listings: 520)
    public var currency = "USD"
    /// The moving window: at most `rateLimit` requests in any `rateWindow` seconds.
    public var rateLimit = 60
    public var rateWindow: TimeInterval = 60
    /// Added to every response.
    public var latency: TimeInterval = 0
    /// Pages a non-owner may read (Discogs: 100, i.e. 10,000 listings).
    public var pageCap = 100
    /// Whether the owner is capped too (Discogs' wording says not; unconfirmed).
    public var ownerIsCapped = false
    /// Polls of an export's status before it reports success.
    public var exportPolls = 1
    /// Reads of a bulk upload job's status before it is done (and applied).
    public var uploadPolls = 2
    /// Monotonic seconds the rate window counts in. Tests share one manual clock between the
    /// client and the fake, so that no machine load can move a request across the window.
    public var clock: @Sendable () -> TimeInterval = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    public init() {}

    public enum InventorySource: Sendable {
        /// A shop made by `ShopGenerator` (seeded, a few listings to 1,000,000).
        case generated(seed: UInt64, listings: Int)
        /// Listings taken verbatim from recorded Discogs responses (each a JSON object).
        case samples([Data])
    }
}

/// Faults the fake injects, changeable while it runs.
public struct FakeFaults: Sendable, Equatable {
    /// The next N requests answer 500, 502 (an HTML page) or 503 in turn.
    public var serverErrors = 0
    /// Every request answers 503 (a server that keeps failing).
    public var alwaysFail = false
    /// The next N successful responses are a Cloudflare-style HTML page (status 200).
    public var htmlBodies = 0
    /// The next N requests answer 429, with an empty body.
    public var rateLimitStorm = 0
    /// Sent with 429s when set.
    public var retryAfterSeconds: Int?
    /// The next N JSON bodies are cut in half (truncated JSON with a matching length).
    public var truncatedBodies = 0
    /// The next N JSON bodies carry `oversizedBodyPadding` bytes of spaces after the JSON: valid,
    /// and far larger than any answer Discogs sends.
    public var oversizedBodies = 0
    public static let oversizedBodyPadding = 12 << 20
    /// When this inventory page is served, the first listing on page 1 is sold first: every
    /// later page shifts by one, as on Discogs when something sells mid-sync.
    public var sellWhenServingPage: Int?
    /// When this inventory page is served, a new listing is added first.
    public var addWhenServingPage: Int?
    /// Every token is rejected (401), as after the token was revoked.
    public var rejectTokens = false
    /// The next N API requests answer `302 Found` pointing at `redirectOrigin` + the same path
    /// and query (a server that sends wax elsewhere: the token must not follow).
    public var redirects = 0
    public var redirectOrigin: String?
    /// Every answer trickles out one byte per this many seconds (a drip-feeding server).
    public var dripInterval: TimeInterval?
    /// Requests are accepted and never answered.
    public var hang = false
    /// The next N listing writes answer 503 (an HTML page) without changing anything.
    public var writeFailures = 0
    /// The next N listing writes answer 429.
    public var rateLimitedWrites = 0
    /// The next N listing writes are applied, then answered 502: the answer is lost, the change
    /// is not (what a proxy in front of Discogs can do).
    public var lostWriteResponses = 0
    /// The next N listing writes are applied and never answered (the client times out).
    public var hangAfterWrites = 0
    /// This listing is sold on the website just before the next write to it arrives.
    public var sellBeforeWrite: Int64?
    /// Price suggestions answer 403, as for a seller whose Discogs settings are incomplete.
    public var priceSuggestionsForbidden = false
    /// Rows of a bulk upload job naming these listings fail (named in the job's results).
    public var uploadFailingListings: Set<Int64> = []
    /// Every bulk upload is refused whole (422).
    public var rejectUploads = false

    public init() {}
}
