import FlyingFox
import Foundation
import WaxJSON

/// What taking stock in asks of Discogs: the database search, price suggestions, market stats,
/// and creating a listing (`POST /marketplace/listings`), with Discogs' answers and errors.
extension FakeRoutes {
    func search(_ request: HTTPRequest, caller: Caller, state: inout FakeState) -> Reply {
        if case .anonymous = caller {
            return Reply(status: .unauthorized, headers: [.contentType: "application/json"],
                         body: Render.message("You must authenticate to access this resource."))
        }
        let query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let generator = state.inventory.generator else { return ok(Render.json(.object(["pagination": pagination(1, 1, 50, 0), "results": .array([])]))) }
        if state.catalogue == nil { state.catalogue = FakeCatalogue(generator) }
        let catalogue = state.catalogue!
        var ids: [Int64]
        if let type = query["type"], type != "release" {
            ids = []
        } else if let barcode = query["barcode"] {
            ids = catalogue.byBarcode[FakeCatalogue.digits(barcode)] ?? []
        } else if let catno = query["catno"] {
            ids = catalogue.byCatalogueNumber[FakeCatalogue.compact(catno)] ?? []
        } else if let text = query["q"], !text.isEmpty {
            ids = catalogue.matching(text)
        } else {
            ids = []
        }
        let perPage = min(100, max(1, Int(query["per_page"] ?? "") ?? 50))
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        let total = ids.count
        let pages = max(1, (total + perPage - 1) / perPage)
        ids = Array(ids.dropFirst((page - 1) * perPage).prefix(perPage))
        let results = ids.map { Render.searchResult(generator.release(id: $0)) }
        return ok(Render.json(.object(["pagination": pagination(page, pages, perPage, total), "results": .array(results)])))
    }

    private func pagination(_ page: Int, _ pages: Int, _ perPage: Int, _ items: Int) -> JSONValue {
        .object(["page": .int(Int64(page)), "pages": .int(Int64(pages)), "per_page": .int(Int64(perPage)), "items": .int(Int64(items)),
                 "urls": .object([:])])
    }

    /// One `{currency, value}` per media grade, unrounded; `{}` for some releases; a 403 for a
    /// seller whose settings are incomplete.
    func priceSuggestions(_ id: Int64?, caller: Caller, state: FakeState) -> Reply {
        guard case .owner = caller else { return forbidden() }
        if state.faults.priceSuggestionsForbidden {
            return Reply(status: .forbidden, headers: [.contentType: "application/json"],
                         body: Render.message("You must fill out your seller settings first."))
        }
        guard let id, state.inventory.release(id: id) != nil else { return notFound("Release not found.") }
        guard id % 11 != 3 else { return ok(Render.json(.object([:]))) }
        var object: [String: JSONValue] = [:]
        for (grade, factor) in zip(Self.grades, [1.0, 0.9, 0.7, 0.5, 0.35, 0.25, 0.15, 0.1]) {
            object[grade] = .object(["currency": .string(configuration.currency), "value": .double(FakeCatalogue.basePrice(id) * factor)])
        }
        return ok(Render.json(.object(object)))
    }

    /// `{lowest_price, num_for_sale, blocked_from_sale}`; the price is null when none is for sale.
    func marketStats(_ id: Int64?, state: FakeState) -> Reply {
        guard let id, state.inventory.release(id: id) != nil else { return notFound("Release not found.") }
        let forSale = Int(id % 7)
        let lowest: JSONValue = forSale == 0 ? .null
            : .object(["currency": .string(configuration.currency), "value": .double((FakeCatalogue.basePrice(id) * 0.6 * 100).rounded() / 100)])
        return ok(Render.json(.object(["lowest_price": lowest, "num_for_sale": .int(Int64(forSale)), "blocked_from_sale": .bool(false)])))
    }

    /// `POST /marketplace/listings`: the owner lists a copy of a release; `201 {listing_id,
    /// resource_url}`, or a 422 naming the field.
    func createListing(body: Data, caller: Caller, state: inout FakeState) -> Reply {
        switch caller {
        case .owner: break
        case .visitor: return forbidden()
        case .anonymous:
            return Reply(status: .unauthorized, headers: [.contentType: "application/json"],
                         body: Render.message("You must authenticate to access this resource."))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return unprocessable("Invalid JSON body.") }
        let fields = object.mapValues(JSONValue.init(any:))
        for required in ["release_id", "condition", "price", "status"] where fields[required] == nil {
            return unprocessable("Invalid request: '\(required)' is required.")
        }
        guard let releaseID = Self.number(fields["release_id"]).map(Int64.init), state.inventory.release(id: releaseID) != nil else {
            return unprocessable("Invalid release_id: release not found.")
        }
        guard case .string(let status)? = fields["status"], Self.editableStatuses.contains(status) else {
            return unprocessable("Invalid status: expected one of \(Self.editableStatuses.joined(separator: ", ")).")
        }
        guard case .string(let condition)? = fields["condition"], Self.grades.contains(condition) else { return unprocessable("Invalid condition.") }
        let sleeve = Self.text(fields["sleeve_condition"]) ?? ""
        guard sleeve.isEmpty || Self.sleeveGrades.contains(sleeve) else { return unprocessable("Invalid sleeve_condition.") }
        guard let price = Self.number(fields["price"]), price > 0 else { return unprocessable("Invalid price.") }
        let listing = FakeListing(
            id: 0, releaseID: releaseID, status: "For Sale", condition: condition, sleeveCondition: sleeve, posted: FakeState.nowPosted(),
            price: (price * 100).rounded() / 100, currency: configuration.currency, shippingPrice: nil,
            comments: Self.text(fields["comments"]) ?? "", location: Self.text(fields["location"]) ?? "",
            externalID: Self.text(fields["external_id"]) ?? "", weight: Self.number(fields["weight"]) ?? 0,
            formatQuantity: Self.number(fields["format_quantity"]).map { Int($0) } ?? 1, allowOffers: fields["allow_offers"] == .bool(true),
            quantity: 1, shipsFrom: "United States")
        let id = state.inventory.create(listing, draft: status == "Draft")
        var created = listing
        created.id = id
        state.stats.writes.append(FakeWrite(method: "CREATE", listingID: id, body: fields, before: nil, after: created, status: status))
        return Reply(status: .created, headers: [.contentType: "application/json"],
                     body: Render.json(.object(["listing_id": .int(id), "resource_url": .string("\(server.baseString)/marketplace/listings/\(id)")])))
    }
}

/// The generated shop's release catalogue, indexed for the database search: by barcode digits,
/// by catalogue number, and by words.
struct FakeCatalogue {
    private(set) var byBarcode: [String: [Int64]] = [:]
    private(set) var byCatalogueNumber: [String: [Int64]] = [:]
    private var texts: [(id: Int64, text: String)] = []

    init(_ generator: ShopGenerator) {
        for index in 0..<generator.releaseCount {
            let release = generator.release(id: ShopGenerator.firstReleaseID + Int64(index))
            if let barcode = release.barcode { byBarcode[Self.digits(barcode), default: []].append(release.id) }
            for label in release.labels where label.catalogNumber != "none" {
                byCatalogueNumber[Self.compact(label.catalogNumber), default: []].append(release.id)
            }
            let text = ([release.artistDisplay, release.title, release.labelDisplay, release.catalogDisplay] + (release.barcode.map { [$0] } ?? []))
                .joined(separator: " ").lowercased()
            texts.append((release.id, text))
        }
    }

    /// Releases whose text holds every word of `query`.
    func matching(_ query: String) -> [Int64] {
        let words = query.lowercased().split(separator: " ").map(String.init)
        return texts.filter { entry in words.allSatisfy { entry.text.contains($0) } }.map(\.id)
    }

    static func digits(_ text: String) -> String { text.filter(\.isNumber) }
    static func compact(_ text: String) -> String { text.lowercased().filter { !$0.isWhitespace && $0 != "-" } }

    /// What a Mint copy is worth, unrounded, as Discogs' suggestions are.
    static func basePrice(_ id: Int64) -> Double { 3 + Double(id % 97) * 0.4137 + Double(id % 13) / 7 }
}
