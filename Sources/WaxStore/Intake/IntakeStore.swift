import Foundation
import GRDB

/// Taking stock in, the mirror's side: what the shop already has of a release and what it last
/// sold it for; a new listing queued for Discogs (shown at once under a provisional id, with a
/// marker that lets the sender find it again if Discogs' answer is lost); the stickers of what
/// was listed.
public struct IntakeStore: Sendable {
    let database: MirrorDatabase

    /// The current listings of `releaseID` and their bins.
    public func stock(ofRelease releaseID: Int64) throws -> ReleaseStock {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT location FROM listings WHERE release_id = ? AND removed_at IS NULL AND listing_id > 0
                """, arguments: [releaseID])
            let bins = rows.compactMap { row -> String? in (row["location"] as String?).flatMap { $0.isEmpty ? nil : $0 } }
            return ReleaseStock(count: rows.count, bins: Array(Set(bins)).sorted { $0.localizedStandardCompare($1) == .orderedAscending })
        }
    }

    /// The currency most of the shop's listings are priced in (what a new one is priced in
    /// when Discogs' suggestion does not say).
    public func shopCurrency() throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: """
                SELECT price_currency FROM listings WHERE removed_at IS NULL AND price_currency IS NOT NULL
                GROUP BY price_currency ORDER BY count(*) DESC LIMIT 1
                """)
        }
    }

    /// The last time the shop sold `releaseID` (online or at the counter), and its price.
    public func lastSale(ofRelease releaseID: Int64) throws -> PastSale? {
        try database.read { db in
            var sales: [PastSale] = []
            if let row = try Row.fetchOne(db, sql: """
                SELECT i.price_value, i.price_currency, o.created_at FROM order_items i JOIN orders o ON o.order_id = i.order_id
                WHERE i.release_id = ? AND i.price_value IS NOT NULL AND NOT \(OrderStatus.cancelledSQL("o.status"))
                ORDER BY o.created_at DESC LIMIT 1
                """, arguments: [releaseID]) {
                let created: Int64? = row["created_at"]
                sales.append(PastSale(price: row["price_value"], currency: row["price_currency"],
                                      soldAt: created.map { Date(timeIntervalSince1970: Double($0)) }, online: true))
            }
            if let row = try Row.fetchOne(db, sql: """
                SELECT l.price_value, l.price_currency, a.created_at FROM actions a JOIN listings l ON l.listing_id = a.listing_id
                WHERE l.release_id = ? AND a.kind IN (\(ActionKind.saleKindsSQL)) AND a.state = 'confirmed' AND l.price_value IS NOT NULL
                ORDER BY a.created_at DESC LIMIT 1
                """, arguments: [releaseID]) {
                sales.append(PastSale(price: row["price_value"], currency: row["price_currency"], soldAt: Timestamp.parse(row["created_at"]), online: false))
            }
            return sales.max { ($0.soldAt ?? .distantPast) < ($1.soldAt ?? .distantPast) }
        }
    }

    /// Checks `listing`, shows it in the mirror under a provisional (negative) id and queues its
    /// creation. The marker goes into the private comments: the sender looks for it before any
    /// retry, so a lost answer never makes two listings.
    public func enqueue(_ listing: NewListing, user: String, priceLimit: Double = FieldRules.defaultPriceLimit,
                        marker: String = IntakeStore.newMarker(), now: Date = Date()) throws -> CounterAction {
        if let problem = FieldRules.price(listing.price, currency: listing.currency, limit: priceLimit) { throw ActionRefusal(.invalid(problem)) }
        let location = listing.location.trimmingCharacters(in: .whitespaces)
        if let problem = FieldRules.location(location) { throw ActionRefusal(.invalid(problem)) }
        if let problem = FieldRules.comments(listing.comments) { throw ActionRefusal(.invalid(problem)) }
        if let problem = FieldRules.comments(listing.privateComments) { throw ActionRefusal(.invalid(problem)) }
        guard ListingStatus.settable.contains(listing.status) else { throw ActionRefusal(.cannotHold(listing: 0, listing.status)) }
        return try database.write(changing: [.listings, .outbox]) { db in
            let lowest = try Int64.fetchOne(db, sql: "SELECT min(listing_id) FROM listings") ?? 0
            let provisional = min(-1, lowest - 1)
            var record = ListingRecord(listingID: provisional, status: listing.status)
            record.releaseID = listing.release.id
            record.artist = listing.release.artist
            record.title = listing.release.title
            record.label = listing.release.labels.first
            record.catalogNumber = listing.release.catalogNumber
            record.format = listing.release.formatText
            record.year = listing.release.year
            record.formatQuantity = listing.release.formatQuantity
            record.condition = listing.media.discogsText
            record.sleeveCondition = listing.sleeve?.discogsText
            record.priceValue = listing.price
            record.priceCurrency = listing.currency
            record.location = location.isEmpty ? nil : location
            record.comments = listing.comments.isEmpty ? nil : listing.comments
            record.externalID = Self.marked(listing.privateComments, marker)
            record.allowOffers = listing.allowOffers
            record.posted = Timestamp.string(now)
            record.canonicalize()
            let writer = try ListingWriter(db, now: now)
            try writer.upsert(record)
            let action = try Actions.insert(db, CounterAction(id: 0, kind: .create, target: .listing(provisional), user: user, createdAt: now,
                                                              expected: ListingFields(), change: ListingFields(EditableField.allCases, of: record),
                                                              note: marker))
            try Actions.history(db, action, .added, field: nil, old: nil, new: nil, at: Timestamp.string(now))
            var decorated = action
            decorated.artist = record.artist
            decorated.title = record.title
            decorated.location = record.location
            return decorated
        }
    }

    /// A marker no other listing holds: `wax-3f9c2a71`.
    public static func newMarker() -> String {
        "wax-" + String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16)
    }

    /// The private comments with the marker after them, in brackets.
    static func marked(_ text: String, _ marker: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "[\(marker)]" : "\(trimmed) [\(marker)]"
    }

    /// Takes a provisional listing out of the mirror (its creation was cancelled or refused).
    static func removeProvisional(_ db: Database, _ id: Int64) throws {
        guard id < 0 else { return }
        try db.execute(sql: "DELETE FROM listing_raw WHERE listing_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM listings WHERE listing_id = ?", arguments: [id])
    }

    // MARK: Stickers

    /// Stickers: those not printed yet, or those of `ids`, or those queued since `since`.
    public func stickers(ids: [Int64]? = nil, since: Date? = nil, waitingOnly: Bool = false) throws -> [Sticker] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let ids {
                conditions.append("l.listing_id IN (SELECT value FROM json_each(?))")
                arguments.append("[" + ids.map(String.init).joined(separator: ",") + "]")
            } else {
                conditions.append("s.listing_id IS NOT NULL")
                if waitingOnly { conditions.append("s.printed_at IS NULL") }
                if let since {
                    conditions.append("s.queued_at >= ?")
                    arguments.append(Timestamp.string(since))
                }
            }
            // Asked by id, any listing prints (a sticker lost, a record taken in before wax).
            let sql = ids == nil
                ? "SELECT l.*, s.queued_at, s.printed_at FROM stickers s JOIN listings l ON l.listing_id = s.listing_id WHERE \(conditions.joined(separator: " AND ")) ORDER BY s.queued_at, l.listing_id"
                : "SELECT l.*, s.queued_at, s.printed_at FROM listings l LEFT JOIN stickers s ON s.listing_id = l.listing_id WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.listing_id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                Sticker(listingID: row["listing_id"], artist: row["artist"], title: row["title"], condition: row["condition"],
                        sleeveCondition: row["sleeve_condition"], price: row["price_value"], currency: row["price_currency"],
                        location: row["location"], queuedAt: Timestamp.parse(row["queued_at"]), printedAt: Timestamp.parse(row["printed_at"]))
            }
        }
    }

    /// Stickers printed (or written to a file) now.
    public func markPrinted(_ ids: [Int64], now: Date = Date()) throws {
        guard !ids.isEmpty else { return }
        try database.write(changing: []) { db in
            for id in ids {
                try db.execute(sql: """
                    INSERT INTO stickers(listing_id, queued_at, printed_at) VALUES (?, ?, ?)
                    ON CONFLICT(listing_id) DO UPDATE SET printed_at = excluded.printed_at
                    """, arguments: [id, Timestamp.string(now), Timestamp.string(now)])
            }
        }
    }

    static func queueSticker(_ db: Database, listingID: Int64, user: String, now: Date) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO stickers(listing_id, queued_at, user) VALUES (?, ?, ?)",
                       arguments: [listingID, Timestamp.string(now), user])
    }
}
