import Foundation

/// A realistic record shop, generated from a seed: listing `i` is computed on its own, so a
/// 1,000,000-listing inventory costs nothing until a page is asked for.
///
/// Realistic means what the real data shows: a few artists and labels dominate (Zipf), many
/// listings share one `posted` time (bulk uploads), names in many scripts (Björk, Sigur Rós,
/// 坂本龍一), long and multi-line comments, releases listed more than once, missing images,
/// unknown years (0), prices with cents.
public struct ShopGenerator: Sendable {
    public let seed: UInt64
    public let listingCount: Int
    /// Distinct releases the listings draw from (some are listed several times).
    public let releaseCount: Int
    public let currency: String

    public init(seed: UInt64 = 1, listings: Int, currency: String = "USD") {
        self.seed = seed
        self.listingCount = listings
        self.releaseCount = max(1, listings * 4 / 5)
        self.currency = currency
    }

    public static let firstListingID: Int64 = 3_600_000_000
    public static let firstReleaseID: Int64 = 1_000_000

    /// Listing ids grow with posting time, as Discogs' do.
    public func listingID(at index: Int) -> Int64 { Self.firstListingID + Int64(index) * 37 + Int64(mix(seed, UInt64(index), 1) % 30) }

    public func index(ofListingID id: Int64) -> Int? {
        let offset = id - Self.firstListingID
        guard offset >= 0 else { return nil }
        let index = Int(offset / 37)
        return index < listingCount && listingID(at: index) == id ? index : nil
    }

    public func listing(at index: Int) -> FakeListing {
        var r = Rand(mix(seed, UInt64(index), 2))
        let releaseIndex = r.zipf(releaseCount, s: 0.6)
        let release = self.release(id: Self.firstReleaseID + Int64(releaseIndex))
        let condition = Vocabulary.conditions[r.zipf(Vocabulary.conditions.count, s: 1.1, offset: 1)]
        let sleeve = r.chance(0.3) ? Vocabulary.sleeveOnly[r.int(Vocabulary.sleeveOnly.count)]
            : Vocabulary.conditions[r.zipf(Vocabulary.conditions.count, s: 1.1, offset: 1)]
        var comments = r.chance(0.15) ? "" : Vocabulary.comments[r.zipf(Vocabulary.comments.count, s: 0.9)]
        if r.chance(0.05) { comments += (comments.isEmpty ? "" : "\n") + Vocabulary.comments[r.int(Vocabulary.comments.count)] }
        if r.chance(0.02) { comments += " " + Vocabulary.longComment }
        let basePrice = [1.09, 2.18, 3.27, 5.45, 7.99, 9.5, 10.9, 12, 14.99, 19.99, 24.5, 29.99, 39, 59.95, 89, 149][r.zipf(16, s: 0.5)]
        let format = release.formats.first?.name ?? "Vinyl"
        return FakeListing(
            id: listingID(at: index), releaseID: release.id, status: "For Sale",
            condition: condition, sleeveCondition: sleeve, posted: posted(at: index, &r),
            price: (basePrice * (r.chance(0.2) ? 1.5 : 1) * 100).rounded() / 100, currency: currency,
            shippingPrice: r.chance(0.1) ? 4.5 : nil, comments: comments,
            location: r.chance(0.01) ? "" : Vocabulary.locations[r.zipf(Vocabulary.locations.count, s: 0.8)],
            externalID: r.chance(0.6) ? "audit \(String(format: "%02d/%02d/25", 9 + r.int(3), 1 + r.int(28)))" : "",
            weight: format == "CD" ? 110 : Double((release.formats.first?.quantity ?? 1) * 230),
            formatQuantity: release.formats.first?.quantity ?? 1, allowOffers: r.chance(0.4),
            quantity: 1, shipsFrom: "United States")
    }

    /// Bulk uploads: runs of listings share one posted time, then time moves on. Offsets switch
    /// between -07:00 and -08:00 with US daylight saving, as Discogs' do.
    private func posted(at index: Int, _ r: inout Rand) -> String {
        let batch = index / 40
        var b = Rand(mix(seed, UInt64(batch), 3))
        let start = 1_577_836_800.0   // 2020-01-01
        let span = 5.8 * 365 * 86_400
        let fraction = listingCount <= 1 ? 0 : Double(index) / Double(listingCount)
        var seconds = start + fraction * span
        if !b.chance(0.4) { seconds += Double(r.int(3_600)) }   // most batches are not one instant
        return Self.pacificTimestamp(Int(seconds))
    }

    private static let pacific = TimeZone(identifier: "America/Los_Angeles")!

    /// `2025-06-27T15:36:31-07:00`: US-Pacific wall time with its offset, as Discogs writes it
    /// (civil-date arithmetic rather than Calendar, which costs microseconds a call).
    static func pacificTimestamp(_ utc: Int) -> String {
        let offset = pacific.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
        let local = utc + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60))-\(two(-offset / 3_600)):00"
    }

    /// Every fiftieth release is a repress of the one before under the same barcode (two
    /// pressings, one barcode: what intake must list rather than guess between).
    private func barcode(of index: Int, own: String?) -> String? {
        switch index % 50 {
        case 6: return own ?? String(format: "%013lld", 5_000_000_000_000 + Int64(index))
        case 7: return release(id: Self.firstReleaseID + Int64(index - 1)).barcode
        default: return own
        }
    }

    public func release(id: Int64) -> FakeRelease {
        let index = Int(id - Self.firstReleaseID)
        var r = Rand(mix(seed, UInt64(bitPattern: Int64(index)), 4))
        let artistCount = r.chance(0.08) ? 2 : 1
        let artists = (0..<artistCount).map { _ in Vocabulary.artist(r.zipf(Vocabulary.artistPoolSize, s: 0.85), seed: seed) }
        let titleWords = 1 + r.zipf(4, s: 1.2)
        let title = (0..<titleWords).map { _ in Vocabulary.titleWords[r.zipf(Vocabulary.titleWords.count, s: 0.35)] }.joined(separator: " ")
        let label = Vocabulary.label(r.zipf(Vocabulary.labelPoolSize, s: 0.9), seed: seed)
        let catalog = "\(label.prefix(3).uppercased().filter(\.isLetter))\(r.chance(0.5) ? " " : "")\(100 + r.int(9_900))"
        let formatIndex = r.zipf(Vocabulary.formats.count, s: 0.5)
        let format = Vocabulary.formats[formatIndex]
        let genreIndex = r.weighted(Vocabulary.genreWeights)
        var genres = [Vocabulary.genres[genreIndex]]
        if r.chance(0.25) {
            let second = Vocabulary.genres[r.weighted(Vocabulary.genreWeights)]
            if second != genres[0] { genres.append(second) }
        }
        var styles: [String] = []
        for genre in genres {
            let pool = Vocabulary.styles[genre] ?? []
            for _ in 0..<r.int(3) where !pool.isEmpty {
                let style = pool[r.zipf(pool.count, s: 0.8)]
                if !styles.contains(style) { styles.append(style) }
            }
        }
        let year = r.chance(0.06) ? 0 : 1955 + r.zipf(71, s: 0.2)
        let tracks = (0..<(format.name == "Vinyl" && format.descriptions.contains("LP") ? 8 : 2)).map { t in
            FakeRelease.Track(position: t < 4 ? "A\(t + 1)" : "B\(t - 3)",
                              title: Vocabulary.titleWords[r.int(Vocabulary.titleWords.count)] + " " + Vocabulary.titleWords[r.int(Vocabulary.titleWords.count)],
                              duration: "\(2 + r.int(6)):\(String(format: "%02d", r.int(60)))")
        }
        let hasImage = !r.chance(0.05)
        let hash = String(mix(seed, UInt64(index), 5), radix: 36)
        return FakeRelease(
            id: id, title: title, artists: artists,
            labels: [.init(name: label, catalogNumber: r.chance(0.04) ? "none" : catalog)],
            formats: [.init(name: format.name, quantity: format.quantity, descriptions: format.descriptions)],
            year: year, country: Vocabulary.countries[r.zipf(Vocabulary.countries.count, s: 1.0)],
            genres: genres, styles: styles,
            barcode: barcode(of: index, own: r.chance(0.4) ? String(format: "%012lld", Int64(r.int(1_000_000)) * 1_000_003) : nil),
            masterID: r.chance(0.7) ? 10_000 + Int64(index) : nil, tracklist: tracks,
            have: r.zipf(5_000, s: 0.7), want: r.zipf(3_000, s: 0.7), ratingAverage: Double(300 + r.int(200)) / 100,
            ratingCount: r.int(400),
            imageURL: hasImage ? "https://i.discogs.com/\(hash)/rs:fit/g:sm/q:90/h:600/w:600/czM6Ly9kaXNjb2dz/LWRhdGFiYXNlLWlt/YWdlcy9SLTExNjkz/\(hash).jpeg" : "",
            thumbnailURL: hasImage ? "https://i.discogs.com/\(hash)/rs:fit/g:sm/q:40/h:150/w:150/czM6Ly9kaXNjb2dz/LWRhdGFiYXNlLWlt/\(hash).jpeg" : ""
        )
    }
}

/// A small, fast, seedable generator (SplitMix64) with the distributions a shop needs.
struct Rand {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Index in 0..<n, the first ones most likely (a power-law skew; higher `s`, steeper).
    mutating func zipf(_ n: Int, s: Double, offset: Int = 0) -> Int {
        guard n > 1 else { return 0 }
        let u = unit()
        let x = pow(u, 1 + 3 * s)
        return min(n - 1, (Int(x * Double(n)) + offset) % n)
    }

    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var roll = unit() * total
        for (i, w) in weights.enumerated() {
            roll -= w
            if roll < 0 { return i }
        }
        return weights.count - 1
    }
}

func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    var r = Rand(a &* 0x100000001B3 ^ b &* 0x9E3779B97F4A7C15 ^ c &* 0xC2B2AE3D27D4EB4F)
    return r.next()
}
