import Foundation
import WaxJSON
import WaxStore

/// The body of `POST /marketplace/listings/{id}`. Discogs' edit replaces the whole listing: an
/// optional field left out is cleared. So the body is built from the listing as Discogs holds
/// it *now* (read just before), with only the intended fields changed.
enum ListingEdit {
    /// Statuses Discogs lets an edit touch; an edit can only set For Sale or Draft.
    static let editable: Set<String> = ["For Sale", "Draft", "Expired"]

    struct Unsendable: Error, CustomStringConvertible {
        let description: String
    }

    static func body(from current: ListingRecord, applying change: ListingFields) throws -> [String: JSONValue] {
        guard let releaseID = current.releaseID else { throw Unsendable(description: "Discogs sent the listing without its release id") }
        guard let condition = current.condition else { throw Unsendable(description: "Discogs sent the listing without its condition") }
        guard let price = change.price ?? current.priceValue else { throw Unsendable(description: "Discogs sent the listing without a price") }
        let status = change.status ?? current.status
        guard status == "For Sale" || status == "Draft" else {
            // An Expired listing would come back on sale by any edit: not wax's call to make.
            throw Unsendable(description: "listing is \(current.status) on Discogs: relist it on the website first")
        }
        var body: [String: JSONValue] = [
            "release_id": .int(releaseID),
            "condition": .string(condition),
            "price": .double((price * 100).rounded() / 100),
            "status": .string(status),
        ]
        if let sleeve = current.sleeveCondition, !sleeve.isEmpty { body["sleeve_condition"] = .string(sleeve) }
        if let comments = change.comments ?? current.comments, !comments.isEmpty { body["comments"] = .string(comments) }
        if let allowOffers = current.allowOffers { body["allow_offers"] = .bool(allowOffers) }
        if let externalID = current.externalID, !externalID.isEmpty { body["external_id"] = .string(externalID) }
        if let location = change.location ?? current.location, !location.isEmpty { body["location"] = .string(location) }
        if let weight = current.weight, weight > 0 {
            body["weight"] = weight == weight.rounded() ? .int(Int64(weight)) : .double(weight)
        }
        if let formatQuantity = current.formatQuantity, formatQuantity > 0 { body["format_quantity"] = .int(Int64(formatQuantity)) }
        return body
    }
}
