import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WaxJSON
import WaxStore

/// Discogs' database search, price suggestions, market stats, and creating a listing.
extension DiscogsClient {
    /// How staff asked for a release.
    public enum ReleaseQuery: Sendable, Equatable {
        case barcode(String)
        case catalogNumber(String)
        case text(String)

        var parameters: [String: String] {
            switch self {
            case .barcode(let digits): ["barcode": digits]
            case .catalogNumber(let catno): ["catno": catno]
            case .text(let text): ["q": text]
            }
        }
    }

    /// `GET /database/search?type=release&…`: the first page of candidates (at most `limit`).
    public func searchReleases(_ query: ReleaseQuery, limit: Int = 25) async throws -> [ReleaseCandidate] {
        var parameters = query.parameters
        parameters["type"] = "release"
        parameters["per_page"] = String(min(100, max(1, limit)))
        return try await get(url("/database/search", query: parameters)) { data in
            try JSONReader.parse(data).objects("results").compactMap(IntakeDecoding.candidate)
        }
    }

    /// `GET /marketplace/price_suggestions/{release_id}`.
    public func priceSuggestions(releaseID: Int64) async throws -> PriceSuggestions {
        do {
            return try await get(url("/marketplace/price_suggestions/\(releaseID)")) { data in
                let root = try JSONReader.parse(data)
                var prices: [ConditionGrade: Money] = [:]
                for grade in ConditionGrade.allCases {
                    guard let object = try root.object(grade.discogsText), let value = try object.double("value") else { continue }
                    prices[grade] = Money(value: value, currency: try object.string("currency"))
                }
                return prices.isEmpty ? .none : .suggested(prices)
            }
        } catch DiscogsError.forbidden(_, let message) {
            return .sellerSettingsIncomplete(message)
        }
    }

    /// `GET /marketplace/stats/{release_id}`: the lowest price for sale and how many are.
    public func marketStats(releaseID: Int64, currency: String?) async throws -> MarketStats {
        var query: [String: String] = [:]
        if let currency { query["curr_abbr"] = currency }
        return try await get(url("/marketplace/stats/\(releaseID)", query: query)) { data in
            let root = try JSONReader.parse(data)
            let lowest = try root.object("lowest_price").flatMap { object in
                try object.double("value").map { Money(value: $0, currency: try object.string("currency")) }
            }
            return MarketStats(lowest: lowest, forSale: try root.int("num_for_sale") ?? 0)
        }
    }

    /// `POST /marketplace/listings`: creates a listing, answered `201 {listing_id}`. Sent once:
    /// the outbox, not the client, decides on a retry (after looking for the listing first).
    public func createListing(fields: [String: JSONValue]) async throws -> Int64 {
        var request = self.request(url("/marketplace/listings"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(JSONValue.object(fields).utf8)
        let (id, _) = try await send(request, attempts: 1) { data -> Int64 in
            guard let id = try JSONReader.parse(data).int64("listing_id") else {
                throw JSONReader.Problem(description: "the answer to a new listing has no listing_id")
            }
            return id
        }
        return id
    }

    /// The seller's listings, newest first, every status (owner only): where a listing whose
    /// creation answer was lost is found again.
    public func newestListings(seller: String, page: Int) async throws -> [ListingRecord] {
        let target = url("/users/\(Self.pathComponent(seller))/inventory", query: [
            "status": "All", "sort": "listed", "sort_order": "desc", "per_page": "100", "page": String(page),
        ])
        return try await get(target) { try DiscogsDecoding.page($0) }.listings
    }
}

enum IntakeDecoding {
    /// A search result; nil for what is not a release.
    static func candidate(_ json: JSONReader) throws -> ReleaseCandidate? {
        guard let id = try json.int64("id"), (try json.string("type")) ?? "release" == "release" else { return nil }
        // "Artist - Title": the last " - " splits (artists may hold dashes; titles rarely do).
        let full = try json.string("title") ?? ""
        let split = full.range(of: " - ", options: .backwards)
        let artist = split.map { String(full[..<$0.lowerBound]) } ?? ""
        let title = split.map { String(full[$0.upperBound...]) } ?? full
        let year = try json.string("year").flatMap { Int($0) } ?? json.int("year")
        // Real barcodes are digits (spaced or dashed); matrix and runout strings hold letters.
        var barcodes: [String] = []
        for entry in try json.strings("barcode") where entry.allSatisfy({ $0.isNumber || $0 == " " || $0 == "-" }) {
            let digits = entry.filter(\.isNumber)
            if digits.count >= 8, !barcodes.contains(digits) { barcodes.append(digits) }
        }
        let community = try json.object("community")
        return ReleaseCandidate(id: id, artist: artist, title: title, labels: try json.strings("label"),
                                catalogNumber: try json.string("catno").flatMap { $0.isEmpty ? nil : $0 },
                                formats: try json.strings("format"), formatQuantity: try json.int("format_quantity"),
                                country: try json.string("country").flatMap { $0.isEmpty ? nil : $0 },
                                year: year.flatMap { $0 > 0 ? $0 : nil }, barcodes: barcodes,
                                have: try community?.int("have"), want: try community?.int("want"))
    }
}
