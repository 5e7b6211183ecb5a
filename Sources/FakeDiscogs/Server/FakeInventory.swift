import Foundation

/// The fake shop's listings: a generated (or sampled) inventory plus what happened to it since
/// (sold, deleted, added, repriced). Pages are computed on demand, so a 1,000,000-listing
/// inventory costs nothing until asked.
struct FakeInventory {
    /// Why a listing is not for sale: a Draft (edited off sale; it can come back), sold, deleted.
    enum Removal: String { case draft, sold, deleted }

    let generator: ShopGenerator?
    /// Verbatim listing objects when serving recorded samples, in listed order.
    let samples: [(id: Int64, object: Data)]
    private(set) var removed: [Int64: Removal] = [:]
    /// Indices into the generated listings that are removed, sorted (to page past them).
    private var removedIndices: [Int] = []
    private(set) var added: [FakeListing] = []
    private var overrides: [Int64: FakeListing] = [:]
    private var nextAddedID: Int64

    init(source: FakeConfiguration.InventorySource, currency: String) {
        switch source {
        case .generated(let seed, let count):
            let generator = ShopGenerator(seed: seed, listings: count, currency: currency)
            self.generator = generator
            self.samples = []
            nextAddedID = generator.listingID(at: max(0, count - 1)) + 1_000
        case .samples(let objects):
            generator = nil
            samples = objects.compactMap { data in
                guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let id = (object["id"] as? NSNumber)?.int64Value else { return nil }
                return (id, data)
            }
            nextAddedID = (samples.map(\.id).max() ?? 4_000_000_000) + 1_000
        }
    }

    private var generatedCount: Int { generator?.listingCount ?? samples.count }

    /// Listings for sale now.
    var liveCount: Int { generatedCount - removedIndices.count + added.filter { removed[$0.id] == nil }.count }

    enum Item {
        case listing(FakeListing)
        case sample(Data)
    }

    /// The `position`-th listing for sale, oldest listed first.
    func live(at position: Int) -> Item? {
        let generatedLive = generatedCount - removedIndices.count
        if position < generatedLive {
            var index = position
            for r in removedIndices {
                if r <= index { index += 1 } else { break }
            }
            return item(atGenerated: index)
        }
        let liveAdded = added.filter { removed[$0.id] == nil }
        let i = position - generatedLive
        return i < liveAdded.count ? .listing(liveAdded[i]) : nil
    }

    private func item(atGenerated index: Int) -> Item {
        if let generator {
            let listing = generator.listing(at: index)
            return .listing(overrides[listing.id] ?? listing)
        }
        return .sample(samples[index].object)
    }

    /// Any listing by id, with whether it was removed and how.
    func listing(id: Int64) -> (item: Item, removal: Removal?)? {
        if let generator, let index = generator.index(ofListingID: id) {
            return (item(atGenerated: index), removed[id])
        }
        if let sample = samples.firstIndex(where: { $0.id == id }) {
            return (.sample(samples[sample].object), removed[id])
        }
        if let listing = added.first(where: { $0.id == id }) {
            return (.listing(overrides[id] ?? listing), removed[id])
        }
        return nil
    }

    func release(id: Int64) -> FakeRelease? {
        guard let generator, id >= ShopGenerator.firstReleaseID, id < ShopGenerator.firstReleaseID + Int64(generator.releaseCount) else { return nil }
        return generator.release(id: id)
    }

    mutating func remove(_ id: Int64, as removal: Removal) -> Bool {
        guard listing(id: id) != nil else { return false }
        if let already = removed[id] {
            // A Draft can still be sold (by the fake's control route) or deleted; nothing else moves.
            guard already == .draft, removal != .draft else { return false }
            removed[id] = removal
            return true
        }
        removed[id] = removal
        if let generator, let index = generator.index(ofListingID: id) {
            let at = removedIndices.firstIndex { $0 > index } ?? removedIndices.count
            removedIndices.insert(index, at: at)
        } else if let sample = samples.firstIndex(where: { $0.id == id }) {
            let at = removedIndices.firstIndex { $0 > sample } ?? removedIndices.count
            removedIndices.insert(sample, at: at)
        }
        return true
    }

    /// Every listing the shop ever had (generated and added), with how it left, if it did.
    func all() -> [(listing: FakeListing, removal: Removal?)] {
        var out: [(FakeListing, Removal?)] = []
        for index in 0..<generatedCount {
            if case .listing(let listing) = item(atGenerated: index) { out.append((listing, removed[listing.id])) }
        }
        for listing in added { out.append((overrides[listing.id] ?? listing, removed[listing.id])) }
        return out
    }

    /// A Draft back on sale (an edit to `For Sale`).
    mutating func restore(_ id: Int64) -> Bool {
        guard removed[id] == .draft else { return false }
        removed[id] = nil
        if let generator, let index = generator.index(ofListingID: id) {
            removedIndices.removeAll { $0 == index }
        } else if let sample = samples.firstIndex(where: { $0.id == id }) {
            removedIndices.removeAll { $0 == sample }
        }
        return true
    }

    /// Drafts, by id: what an owner's `status=All` shows after the listings for sale.
    var drafts: [FakeListing] {
        removed.filter { $0.value == .draft }.keys.sorted().compactMap { id in
            if case .listing(let listing)? = listing(id: id)?.item { return listing }
            return nil
        }
    }

    /// A listing the seller created (`POST /marketplace/listings`): its new id.
    mutating func create(_ listing: FakeListing, draft: Bool) -> Int64 {
        var listing = listing
        listing.id = nextAddedID
        nextAddedID += 41
        added.append(listing)
        if draft { _ = remove(listing.id, as: .draft) }
        return listing.id
    }

    /// Lists a new copy of an existing release (newest, so it lands on the last page).
    mutating func add(posted: String) -> Int64 {
        let id = nextAddedID
        nextAddedID += 41
        // A new listing each time, drawn from the shop's releases as the first ones were (every
        // new one was a copy of the first listing: the demo's top rows grew identical).
        var listing = generator.map { $0.listing(at: $0.listingCount + added.count) } ?? FakeListing(
            id: id, releaseID: ShopGenerator.firstReleaseID, status: "For Sale", condition: "Mint (M)",
            sleeveCondition: "Mint (M)", posted: posted, price: 10, currency: "USD", shippingPrice: nil, comments: "",
            location: "", externalID: "", weight: 230, formatQuantity: 1, allowOffers: false, quantity: 1, shipsFrom: "United States")
        listing.id = id
        listing.posted = posted
        listing.comments = "Just in"
        added.append(listing)
        return id
    }

    mutating func reprice(_ id: Int64, to price: Double) -> Bool {
        guard case .listing(var listing)? = listing(id: id)?.item else { return false }
        listing.price = price
        overrides[id] = listing
        if let index = added.firstIndex(where: { $0.id == id }) { added[index] = listing }
        return true
    }

    mutating func update(_ id: Int64, _ change: (inout FakeListing) -> Void) -> Bool {
        guard case .listing(var listing)? = listing(id: id)?.item else { return false }
        change(&listing)
        overrides[id] = listing
        if let index = added.firstIndex(where: { $0.id == id }) { added[index] = listing }
        return true
    }
}

extension FakeInventory {
    /// Every listing for sale as Discogs' inventory export writes it: its exact header row,
    /// CRLF, `listed` as US-Pacific wall time without an offset, no currency column.
    func exportCSV() -> String {
        var csv = "listing_id,artist,title,label,catno,format,release_id,status,price,listed,comments,media_condition,sleeve_condition,accept_offer,external_id,weight,format_quantity,location,quantity\r\n"
        func cell(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        for position in 0..<liveCount {
            guard case .listing(let l)? = live(at: position), let r = release(id: l.releaseID) else { continue }
            let listed = String(l.posted.prefix(19)).replacingOccurrences(of: "T", with: " ")
            let fields = [String(l.id), r.artistDisplay, r.title, r.labelDisplay, r.catalogDisplay, r.formatDisplay, String(r.id),
                          l.status, String(format: "%.2f", l.price), listed, l.comments, l.condition, l.sleeveCondition,
                          l.allowOffers ? "Y" : "N", l.externalID, String(Int(l.weight)), String(l.formatQuantity), l.location,
                          String(l.quantity)]
            csv += fields.map(cell).joined(separator: ",") + "\r\n"
        }
        return csv
    }
}
