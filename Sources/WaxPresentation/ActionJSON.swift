import Foundation
import WaxJSON
import WaxStore

/// An outbox action as `--json` prints it.
public enum ActionJSON {
    public static func object(_ action: CounterAction) -> JSONValue {
        .object([
            "id": .int(action.id), "kind": .string(action.kind.rawValue), "listing_id": JSONValue(action.listingID.map(String.init)), "order_id": JSONValue(action.orderID),
            "artist": JSONValue(action.artist), "title": JSONValue(action.title), "location": JSONValue(action.location),
            "user": .string(action.user), "state": .string(action.state.rawValue), "summary": .string(ActionText.summary(action)),
            "message": JSONValue(action.message), "note": JSONValue(action.note), "attempts": .int(Int64(action.attempts)),
            "created_at": .string(Timestamp.string(action.createdAt)), "updated_at": .string(Timestamp.string(action.updatedAt)),
            "next_attempt_at": JSONValue(action.nextAttemptAt.map(Timestamp.string)),
            "expected": fields(action.expected), "change": fields(action.change),
            "undoes": JSONValue(action.undoes),
        ])
    }

    static func fields(_ fields: ListingFields) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let status = fields.status { object["status"] = .string(status.rawValue) }
        if let price = fields.price { object["price"] = .double(price) }
        if let currency = fields.currency { object["currency"] = .string(currency) }
        if let location = fields.location { object["location"] = .string(location) }
        if let comments = fields.comments { object["comments"] = .string(comments) }
        if let deleted = fields.deleted { object["deleted"] = .bool(deleted) }
        return .object(object)
    }
}
