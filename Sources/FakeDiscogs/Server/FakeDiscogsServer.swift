import FlyingFox
import FlyingSocks
import Foundation
import Synchronization


/// A fake Discogs API on 127.0.0.1, faithful enough that wax's real HTTP client syncs from it:
/// inventory paging with self-pointing next/last URLs, single listings (404 once deleted,
/// `Sold` once sold), releases, identity, the export flow, the non-owner page cap, the moving
/// rate window with its headers and 429s, and injected faults.
public final class FakeDiscogsServer: Sendable {
    public let configuration: FakeConfiguration
    let state: Mutex<FakeState>
    private let pool: Mutex<FakeSocketPool?> = Mutex(nil)
    private let task: Mutex<Task<Void, any Error>?> = Mutex(nil)
    private let base = Mutex("")
    let executor = FakeExecutor(label: "fake-discogs")
    private let stopping = Mutex(false)

    public init(configuration: FakeConfiguration = FakeConfiguration()) {
        self.configuration = configuration
        self.state = Mutex(FakeState(configuration: configuration))
    }

    /// Starts listening on 127.0.0.1 (`port` 0 picks a free one) and returns the base URL.
    @discardableResult
    public func start(port: UInt16 = 0) async throws -> URL {
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        let pool = FakeSocketPool()
        self.pool.withLock { $0 = pool }
        let server = HTTPServer(address: address, timeout: 30, pool: pool, logger: .disabled,
                                handler: FakeRoutes(server: self))
        // The server's own work runs on the fake's executor; FlyingFox's accept loop and
        // connections run in a task it makes itself, on Swift's shared threads, and each answer
        // hops back (FakeRoutes).
        task.withLock {
            $0 = Task(executorPreference: executor) { [weak self] in
                do {
                    try await server.run()
                } catch where self?.stopping.withLock({ $0 }) == false {
                    // FlyingFox stops accepting for good when `accept` fails (EMFILE): say so, or
                    // every client of this fake just times out with no hint why.
                    FileHandle.standardError.write(Data("fake Discogs stopped accepting connections: \(error)\n".utf8))
                    throw error
                }
            }
        }
        try await server.waitUntilListening(timeout: 120)   // a busy CI machine can take seconds
        guard case .ip4(_, let boundPort)? = await server.listeningAddress else {
            throw FakeServerError("the fake Discogs server did not bind to 127.0.0.1")
        }
        let url = "http://127.0.0.1:\(boundPort)"
        base.withLock { $0 = url }
        return URL(string: url)!
    }

    /// Stops answering and closes every socket, each after its last use.
    ///
    /// FlyingFox's own `stop` closes the listening socket first, while its accept loop may still
    /// be about to call `accept` on that descriptor number (woken, and waiting for a thread on a
    /// busy machine). The number goes to the next socket opened in the process (another fake's),
    /// and the stopped fake accepted that socket's connections and answered with its own shop.
    /// Instead every wait is ended first; the accept loop and the connections then end on their
    /// own, and FlyingFox closes the listening socket once its accept loop is done.
    public func stop() async {
        guard let task = task.withLock({ $0 }) else { return }
        stopping.withLock { $0 = true }
        pool.withLock { $0 }?.shutDown()
        _ = await task.result
    }

    public var baseURL: URL { URL(string: base.withLock { $0 })! }
    var baseString: String { base.withLock { $0 } }

    // MARK: Changing the shop while it runs

    /// Marks a listing sold: it leaves the inventory; its own URL answers `Sold` to the owner.
    @discardableResult
    public func sell(_ id: Int64) -> Bool { state.withLock { $0.inventory.remove(id, as: .sold) } }

    /// Deletes a listing: it leaves the inventory and its URL answers 404.
    @discardableResult
    public func delete(_ id: Int64) -> Bool { state.withLock { $0.inventory.remove(id, as: .deleted) } }

    /// Lists something new (the newest listing, so it lands on the last page).
    @discardableResult
    public func add() -> Int64 {
        state.withLock { $0.inventory.add(posted: FakeState.nowPosted()) }
    }

    @discardableResult
    public func reprice(_ id: Int64, to price: Double) -> Bool { state.withLock { $0.inventory.reprice(id, to: price) } }

    @discardableResult
    public func update(_ id: Int64, _ change: @Sendable (inout FakeListing) -> Void) -> Bool {
        state.withLock { $0.inventory.update(id, change) }
    }

    /// A buyer buys listings: they are Sold (they leave the inventory) and an order appears,
    /// paid (`Payment Received`) or not (`New Order`). Nil when a listing is not for sale.
    @discardableResult
    public func buy(_ listingIDs: [Int64], buyer: String = "a_buyer", paid: Bool = true) -> String? {
        state.withLock { state in
            var items: [FakeOrder.Item] = []
            for id in listingIDs {
                guard let found = state.inventory.listing(id: id), found.removal == nil, case .listing(let listing) = found.item,
                      let release = state.inventory.release(id: listing.releaseID) else { return nil }
                items.append(FakeOrder.Item(listingID: id, releaseID: release.id, description: "\(release.artistDisplay) - \(release.title) (\(release.formatDisplay))",
                                            price: listing.price, mediaCondition: listing.condition, sleeveCondition: listing.sleeveCondition))
            }
            for id in listingIDs { _ = state.inventory.remove(id, as: .sold) }
            return state.orderBook.create(sellerID: configuration.sellerID, seller: configuration.seller, buyer: buyer, items: items,
                                          currency: configuration.currency, paid: paid).id
        }
    }

    /// Moves an order on as the buyer or Discogs would (paid, cancelled); false when not offered.
    @discardableResult
    public func setOrderStatus(_ id: String, _ status: String) -> Bool {
        state.withLock { state in
            if case .done = state.orderBook.setStatus(id, to: status, seller: configuration.seller) { return true }
            return false
        }
    }

    /// The shop as Discogs' inventory export CSV (what `wax import` reads): a made-up shop to
    /// try the CSV migration on without the real data.
    public func exportCSV() -> String { state.withLock { $0.inventory.exportCSV() } }

    public func orders() -> [FakeOrder] { state.withLock { $0.orderBook.orders } }

    public func setFaults(_ change: (inout FakeFaults) -> Void) {
        state.withLock { change(&$0.faults) }
    }

    public var faults: FakeFaults { state.withLock { $0.faults } }
    public var stats: FakeStats { state.withLock { $0.stats } }

    /// Every listing for sale now, oldest first, as the fake would describe it to the owner.
    public func liveListings() -> [FakeListing] {
        state.withLock { state in
            (0..<state.inventory.liveCount).compactMap { position in
                if case .listing(let listing)? = state.inventory.live(at: position) { return listing }
                return nil
            }
        }
    }

    public var liveCount: Int { state.withLock { $0.inventory.liveCount } }

    /// Every listing, drafts, sold and deleted ones included, with its Discogs status.
    public func allListings() -> [(listing: FakeListing, status: String)] {
        state.withLock { state in
            state.inventory.all().map { listing, removal in
                let status = switch removal {
                case .draft?: "Draft"
                case .sold?: "Sold"
                case .deleted?: "Deleted"
                case nil: listing.status
                }
                return (listing, status)
            }
        }
    }

    public func release(id: Int64) -> FakeRelease? { state.withLock { $0.inventory.release(id: id) } }
}

/// What the fake has served.
public struct FakeStats: Sendable, Equatable {
    /// Requests that passed the rate window.
    public var admitted = 0
    public var rateLimited = 0
    /// The most requests seen inside any one window (never above the limit).
    public var peakInWindow = 0
    public var redirected = 0
    /// Requests that arrived with an `Authorization` header, by path (what a token-stealing
    /// host would have learnt).
    public var authorizedPaths: [String] = []
    /// Listing writes that were applied, in order.
    public var writes: [FakeWrite] = []
}

struct FakeServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Mutable state behind one lock.
struct FakeState {
    var inventory: FakeInventory
    var window: RateWindow
    var faults = FakeFaults()
    var stats = FakeStats()
    var exports: [Int: Int] = [:]   // id → status polls left
    var nextExportID = 18_867_036
    var uploads: [Int: FakeUpload] = [:]
    var nextUploadID = 4_310_001
    var serverErrorTurn = 0
    var orderBook = FakeOrderBook()
    /// The release catalogue by barcode digits, catalogue number and text, built at the first
    /// database search.
    var catalogue: FakeCatalogue?

    init(configuration: FakeConfiguration) {
        inventory = FakeInventory(source: configuration.inventory, currency: configuration.currency)
        window = RateWindow(limit: configuration.rateLimit, window: configuration.rateWindow)
    }

    static func nowPosted() -> String {
        ShopGenerator.pacificTimestamp(Int(Date().timeIntervalSince1970))
    }
}
