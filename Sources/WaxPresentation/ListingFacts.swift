import Foundation
import WaxStore
import WaxText

/// What there is to say about one listing, in order, as label and value: the browser's detail
/// pane and `wax show` print the same facts with the same words (they had printed different
/// have/want numbers). Empty facts are left out.
public enum ListingFacts {
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var value: String
        /// Why it is not on sale (drawn as a warning).
        public var isRemoval: Bool
    }

    public static func of(_ listing: Listing, time: LocalTime) -> [Fact] {
        let r = listing.record
        let release = listing.release
        var facts: [(String, String?)] = []
        if listing.isRemoved {
            facts.append(("Removed", "\(listing.removedReason?.text ?? "") \(listing.removedAt.map(time.minute) ?? "")"))
        }
        if listing.hasPendingAction { facts.append(("Waiting", "a change by staff is on its way to Discogs")) }
        if let holder = listing.heldBy {
            facts.append(("Held", "by \(holder)\(listing.holdNote.map { ": \($0)" } ?? "") (a Draft on Discogs; H puts it back on sale)"))
        } else if !listing.isRemoved, r.status != .forSale {
            facts.append(("Status", r.status.rawValue))
        }
        facts += [
            ("Artist", r.artist), ("Title", r.title), ("Label", r.label), ("Cat #", r.catalogNumber),
            ("Year", r.year.map(String.init)), ("Format", r.format),
            ("Genres", listing.genres.isEmpty ? nil : listing.genres.joined(separator: ", ")),
            ("Styles", listing.styles.isEmpty ? nil : listing.styles.joined(separator: ", ")),
            ("Country", release?.country),
            ("Barcode", release.flatMap { $0.barcodes.isEmpty ? nil : $0.barcodes.joined(separator: ", ") }),
            ("Condition", r.condition), ("Sleeve", r.sleeveCondition),
            ("Price", r.priceValue.map { Money.format($0, currency: r.priceCurrency) }),
            ("Shipping", r.shippingPrice.map { Money.format($0, currency: r.shippingCurrency) }),
            ("Offers", r.allowOffers.map { $0 ? "accepted" : "no" }),
            ("Posted", r.postedAt.map(time.minute) ?? r.posted), ("Location", r.location), ("External", r.externalID),
            ("Weight", r.weight.flatMap { $0 > 0 ? "\(Int($0)) g" : nil }),
            ("Quantity", r.quantity.flatMap { $0 > 1 ? String($0) : nil }),
            ("Have/want", haveWant(listing)),
            ("Listing", String(r.listingID)), ("Discogs", listing.discogsURL),
        ]
        return facts.compactMap { label, value in
            guard let value, !value.isEmpty else { return nil }
            return Fact(label: label, value: value, isRemoval: label == "Removed")
        }
    }

    /// "12 / 48": the listing's own counts first (every sync brings them fresh), the release's
    /// (fetched once) when the listing has none.
    public static func haveWant(_ listing: Listing) -> String? {
        let r = listing.record, release = listing.release
        guard let have = r.communityHave ?? release?.communityHave else { return nil }
        let want = r.communityHave != nil ? r.communityWant : release?.communityWant
        return "\(have) / \(want ?? 0)"
    }
}
