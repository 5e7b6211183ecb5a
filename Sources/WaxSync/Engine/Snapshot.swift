import Foundation
import WaxStore

/// What one read of the inventory found, and whether it can be trusted to say what is gone.
struct Snapshot {
    /// The listings to write, in the order first read (oldest listed first): new listings are
    /// stored in it, so their ties keep Discogs' order. A list with an index of ids beside it,
    /// not a dictionary of records (its buckets were 2.6 times the records); past a few
    /// thousand, in a spool file beside the mirror (`SnapshotListings`).
    private(set) var listings: SnapshotListings
    /// Every listing read: its place in `listings`, or `Self.unchanged`.
    private var slots: [Int64: Int] = [:]
    /// A listing the mirror already holds exactly as read is kept as its id alone: an hourly
    /// sync of an unchanged shop then holds ids, not 100,000 records and their JSON.
    private let mirror: MirrorFingerprints
    private static let unchanged = -1
    /// How many listings read are priced in each currency (the export has no currency column).
    private var currencies: [String: Int] = [:]

    init(mirror: MirrorFingerprints = .none, listings: SnapshotListings = SnapshotListings()) {
        self.mirror = mirror
        self.listings = listings
    }

    var count: Int { slots.count }

    func contains(_ id: Int64) -> Bool { slots[id] != nil }

    mutating func put(_ record: ListingRecord) throws {
        switch slots[record.listingID] {
        case let slot? where slot != Self.unchanged:
            try listings.replace(at: slot, with: record)
        case let slot:
            // Read again after a page shifted, a listing found unchanged may have changed since.
            if slot == nil, let currency = record.priceCurrency { currencies[currency, default: 0] += 1 }
            if mirror.holds(record) {
                slots[record.listingID] = Self.unchanged
            } else {
                try listings.append(record)
                slots[record.listingID] = listings.count - 1
            }
        }
    }

    mutating func keep(only ids: Set<Int64>) {
        listings.removeAll { !ids.contains($0) }
        slots = slots.filter { ids.contains($0.key) }.mapValues { _ in Self.unchanged }
        for (slot, id) in listings.ids.enumerated() { slots[id] = slot }
    }

    /// The currency most listings read are priced in.
    var mostUsedCurrency: String? { currencies.max { $0.value < $1.value }?.key }

    /// What the store applies, taking the listings and the index from here: the store is
    /// handed the only reference to them.
    mutating func takeApply(removals: [Int64: RemovalReason], trigger: SyncTrigger, startedAt: Date, requests: Int,
                            beforeCommit: (@Sendable () -> Void)?) -> SnapshotApply {
        let apply = SnapshotApply(listings: listings, unchanged: slots.compactMap { $0.value == Self.unchanged ? $0.key : nil },
                                  removals: removals, seller: seller, trigger: trigger, startedAt: startedAt,
                                  requests: requests, unreachable: unreachable, beforeCommit: beforeCommit)
        listings = SnapshotListings()
        slots = [:]
        return apply
    }

    var seller: SellerRecord?
    /// `pagination.items` as each page reported it.
    var reportedItems: [Int] = []
    var pagesRead = 0
    var pages = 0
    var capped = false
    var completedByExport = false
    /// Whether the token is the seller's own (owner-only fields, the export).
    var owner = false

    /// Every page was read, the inventory's size did not move while it was read, and the ids
    /// collected are exactly as many as Discogs counts. Only then may a missing listing be a
    /// removal (and even then each one is confirmed with Discogs).
    var trustworthy: Bool {
        if completedByExport { return true }
        guard !capped, pagesRead >= pages, let first = reportedItems.first else { return false }
        return reportedItems.allSatisfy { $0 == first } && count == first
    }

    var items: Int { reportedItems.last ?? count }
    var unreachable: Int { completedByExport ? 0 : max(0, items - count) }
}

extension SyncEngine {
    /// Pages through the seller's inventory (100 a page, oldest first), as far as Discogs allows.
    /// The owner of a large inventory gets the rest from an inventory export.
    func takeSnapshot(_ options: SyncOptions, owner: Bool, mirror: MirrorFingerprints,
                      events: @Sendable (SyncEvent) -> Void) async throws -> Snapshot {
        var snapshot = Snapshot(mirror: mirror, listings: SnapshotListings(spoolingPast: options.spoolPast,
                                                                           in: options.spoolDirectory ?? databasePath.deletingLastPathComponent()))
        snapshot.owner = owner
        var page = 1
        while true {
            try Task.checkCancellation()
            let result: DiscogsDecoding.Page
            do {
                result = try await client.inventoryPage(seller: options.seller, status: options.status, page: page)
            } catch DiscogsError.pageCap {
                snapshot.capped = true
                break
            }
            snapshot.pagesRead = page
            if page == 1 { expect(requests: result.pages + 1) }
            snapshot.pages = max(result.pages, page)
            snapshot.reportedItems.append(result.items)
            snapshot.seller = snapshot.seller ?? result.seller
            for listing in result.listings { try snapshot.put(listing) }
            events(.page(page, of: snapshot.pages, listings: snapshot.count))
            // Follow what Discogs reports (never a fixed count): stop when there is no next page.
            guard result.next != nil || page < result.pages, !result.listings.isEmpty else { break }
            page += 1
        }
        if snapshot.capped && owner {
            try await completeWithExport(&snapshot, options, events: events)
        }
        return snapshot
    }

    /// Beyond 10,000 listings the owner learns the full id set (and prices) from an export.
    private func completeWithExport(_ snapshot: inout Snapshot, _ options: SyncOptions, events: @Sendable (SyncEvent) -> Void) async throws {
        events(.exporting("requesting an inventory export"))
        expect(requests: 10, plus: options.exportTimeout)
        let statusURL = try await client.startExport()
        let deadline = Date().addingTimeInterval(options.exportTimeout)
        var status = try await client.exportStatus(statusURL)
        while !status.finished {
            guard Date() < deadline else {
                throw SyncFailure(.failed, "the inventory export did not finish within \(Int(options.exportTimeout)) s")
            }
            events(.exporting("waiting for the export"))
            try await Task.sleep(for: .seconds(options.exportPollInterval))
            status = try await client.exportStatus(statusURL)
        }
        guard let download = status.downloadURL else {
            throw SyncFailure(.failed, "the inventory export finished without a download link")
        }
        events(.exporting("downloading the export"))
        let parsed = try CSVImport.parse(try await client.download(download))
        guard parsed.errors.isEmpty else {
            throw SyncFailure(.failed, "the inventory export has \(parsed.errors.count) unreadable rows (first: \(parsed.errors[0]))")
        }
        // The export has no currency column: listings it alone describes take the shop's currency.
        let currency = snapshot.mostUsedCurrency
        for var record in parsed.records where record.status == options.status && !snapshot.contains(record.listingID) {
            record.priceCurrency = currency
            try snapshot.put(record)
        }
        let exported = Set(parsed.records.filter { $0.status == options.status }.map(\.listingID))
        snapshot.keep(only: exported)
        snapshot.completedByExport = true
    }
}
