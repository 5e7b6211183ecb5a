import FlyingFox
import Foundation
public import WaxJSON

/// Discogs' listing writes, with Discogs' semantics: an edit replaces the whole listing (an
/// optional field left out is cleared), needs `release_id`, `condition`, `price` and `status`
/// (`For Sale` or `Draft`), is for the owner only, and can't touch a Sold listing.
extension FakeRoutes {
    static let editableStatuses = ["For Sale", "Draft"]
    static let grades = ["Mint (M)", "Near Mint (NM or M-)", "Very Good Plus (VG+)", "Very Good (VG)", "Good Plus (G+)", "Good (G)",
                         "Fair (F)", "Poor (P)"]
    static let sleeveGrades = grades + ["Generic", "Not Graded", "No Cover"]

    func editListing(_ id: Int64?, body: Data, caller: Caller, state: inout FakeState) -> Reply {
        guard case .owner = caller else { return forbidden() }
        guard let id, let found = state.inventory.listing(id: id), found.removal != .deleted else {
            return notFound("Item not found. It may have been deleted.")
        }
        sellFirstIfAsked(id, &state)
        guard state.inventory.listing(id: id)?.removal != .sold else {
            return unprocessable("This listing has been sold and can no longer be edited.")
        }
        guard case .listing(let before) = found.item else {
            return unprocessable("This fake serves recorded sample listings read-only.")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return unprocessable("Invalid JSON body.")
        }
        let fields = object.mapValues(JSONValue.init(any:))
        for required in ["release_id", "condition", "price", "status"] where fields[required] == nil {
            return unprocessable("Invalid request: '\(required)' is required.")
        }
        guard case .string(let status)? = fields["status"], Self.editableStatuses.contains(status) else {
            return unprocessable("Invalid status: expected one of \(Self.editableStatuses.joined(separator: ", ")).")
        }
        guard case .string(let condition)? = fields["condition"], Self.grades.contains(condition) else {
            return unprocessable("Invalid condition.")
        }
        guard let price = Self.number(fields["price"]), price > 0 else { return unprocessable("Invalid price.") }
        guard Self.number(fields["release_id"]).map(Int64.init) == before.releaseID else {
            return unprocessable("The release of a listing can't be changed.")
        }
        var after = before
        after.condition = condition
        after.price = (price * 100).rounded() / 100
        // Every optional field not sent is cleared: the edit replaces the listing.
        after.sleeveCondition = Self.text(fields["sleeve_condition"]).flatMap { Self.sleeveGrades.contains($0) ? $0 : nil } ?? ""
        after.comments = Self.text(fields["comments"]) ?? ""
        after.externalID = Self.text(fields["external_id"]) ?? ""
        after.location = Self.text(fields["location"]) ?? ""
        after.allowOffers = fields["allow_offers"] == .bool(true)
        after.weight = Self.number(fields["weight"]) ?? 0
        after.formatQuantity = Self.number(fields["format_quantity"]).map { Int($0) } ?? 1
        after.status = "For Sale"
        _ = state.inventory.update(id) { $0 = after }
        if status == "Draft" {
            _ = state.inventory.remove(id, as: .draft)
        } else {
            _ = state.inventory.restore(id)
        }
        state.stats.writes.append(FakeWrite(method: "POST", listingID: id, body: fields, before: before, after: after, status: status))
        return Reply(status: .noContent, headers: [:], body: Data())
    }

    func deleteListing(_ id: Int64?, caller: Caller, state: inout FakeState) -> Reply {
        guard case .owner = caller else { return forbidden() }
        guard let id, let found = state.inventory.listing(id: id), found.removal != .deleted else {
            return notFound("Item not found. It may have been deleted.")
        }
        let before: FakeListing? = if case .listing(let listing) = found.item { listing } else { nil }
        _ = state.inventory.remove(id, as: .deleted)
        state.stats.writes.append(FakeWrite(method: "DELETE", listingID: id, body: [:], before: before, after: nil, status: "Deleted"))
        return Reply(status: .noContent, headers: [:], body: Data())
    }

    /// The "sold on the website between wax's read and its write" fault.
    private func sellFirstIfAsked(_ id: Int64, _ state: inout FakeState) {
        guard state.faults.sellBeforeWrite == id else { return }
        state.faults.sellBeforeWrite = nil
        _ = state.inventory.remove(id, as: .sold)
    }

    /// Faults that answer a write instead of the API (before anything is applied).
    func injectedWriteFault(_ state: inout FakeState) -> HTTPResponse? {
        if state.faults.writeFailures > 0 {
            state.faults.writeFailures -= 1
            return HTTPResponse(statusCode: .serviceUnavailable, headers: [.contentType: "text/html"], body: Render.maintenancePage)
        }
        if state.faults.rateLimitedWrites > 0 {
            state.faults.rateLimitedWrites -= 1
            state.stats.rateLimited += 1
            return HTTPResponse(statusCode: HTTPStatusCode(429, phrase: "Too Many Requests"), headers: [.contentType: "application/json"],
                                body: Render.message("You are making requests too quickly."))
        }
        return nil
    }

    static func isWrite(_ request: HTTPRequest) -> Bool {
        (request.method == .POST || request.method == .DELETE)
            && (request.path.hasPrefix("/marketplace/listings/") || request.path == "/marketplace/listings")
    }

    func forbidden() -> Reply {
        Reply(status: .forbidden, headers: [.contentType: "application/json"],
              body: Render.message("You don't have permission to access this resource."))
    }

    func unprocessable(_ message: String) -> Reply {
        Reply(status: HTTPStatusCode(422, phrase: "Unprocessable Entity"), headers: [.contentType: "application/json"], body: Render.message(message))
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let n)?: Double(n)
        case .double(let d)?: d
        case .string(let s)?: Double(s)
        default: nil
        }
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let s)? = value { return s }
        return nil
    }
}

/// One write the fake accepted: what was sent, and the listing before and after.
public struct FakeWrite: Sendable, Equatable {
    public var method: String
    public var listingID: Int64
    public var body: [String: WaxJSON.JSONValue]
    public var before: FakeListing?
    public var after: FakeListing?
    /// The status the listing ended in.
    public var status: String
}
