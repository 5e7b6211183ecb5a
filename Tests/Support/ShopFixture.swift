import Foundation
import WaxStore

/// A small, fixed shop for screen tests: names in several scripts, long comments, genres, one
/// sold listing. Nothing random, so golden screens never move.
public enum ShopFixture {
    public static let now = Date(timeIntervalSince1970: 1_764_072_000)   // 2025-11-25T12:00:00Z

    public static func listings() -> (listings: [ListingRecord], releases: [ReleaseRecord]) {
        let rows: [(String, String, String, String, String, String, Double, String, String, Int?, [String], [String])] = [
            // artist, title, label, format, condition, sleeve, price, posted, location, year, genres, styles
            ("Björk", "Army Of Me", "One Little Indian", "12\", Single", "Near Mint (NM or M-)", "Very Good Plus (VG+)", 25, "2025-11-20T10:00:00-08:00", "A1", 1995, ["Electronic", "Pop"], ["Trip Hop"]),
            ("坂本龍一", "戦場のメリークリスマス", "London", "LP, Album", "Very Good Plus (VG+)", "Very Good (VG)", 30, "2025-11-19T10:00:00-08:00", "C3", 1983, ["Stage & Screen"], ["Soundtrack"]),
            ("Tschüssi", "Auf Wiedersehen", "Kompakt", "LP, Album", "Mint (M)", "Mint (M)", 15, "2025-11-18T10:00:00-08:00", "B2", 2019, ["Electronic"], ["Minimal"]),
            ("Sigur Rós", "( )", "FatCat Records", "2xLP, Album", "Very Good Plus (VG+)", "Generic", 60, "2025-11-17T10:00:00-08:00", "B2", 2002, ["Rock"], ["Post Rock"]),
            ("The Beatles", "Abbey Road", "Apple Records", "LP, Album, RE", "Very Good (VG)", "Very Good (VG)", 40, "2025-11-16T10:00:00-08:00", "D4", 1969, ["Rock"], ["Pop Rock"]),
            ("Moodymann", "Silentintroduction", "Planet E", "2xLP, Album", "Near Mint (NM or M-)", "Near Mint (NM or M-)", 89, "2025-11-15T10:00:00-08:00", "A1", 1997, ["Electronic"], ["Deep House"]),
            ("Theo Parrish", "First Floor", "Peacefrog Records", "3xLP, Album", "Very Good Plus (VG+)", "Very Good Plus (VG+)", 120, "2025-11-14T10:00:00-08:00", "A2", 1998, ["Electronic"], ["Deep House", "Techno"]),
            ("Café Tacvba", "Re", "WEA", "CD, Album", "Very Good Plus (VG+)", "Very Good Plus (VG+)", 9.5, "2025-11-13T10:00:00-08:00", "E1", 1994, ["Rock", "Latin"], ["Alternative Rock"]),
            ("Françoise Hardy", "Comment Te Dire Adieu", "Disques Vogue", "LP, Album", "Good Plus (G+)", "Good (G)", 22, "2025-11-12T10:00:00-08:00", "C1", 1968, ["Pop"], ["Chanson"]),
            ("King Tubby", "Dub From The Roots", "Total Sounds", "LP, Album", "Very Good (VG)", "Generic", 35, "2025-11-11T10:00:00-08:00", "R1", 1974, ["Reggae"], ["Dub"]),
            ("Larry Heard", "Sceneries Not Songs", "Black Market International", "LP, Album", "Mint (M)", "Mint (M)", 55, "2025-11-10T10:00:00-08:00", "A2", 1994, ["Electronic"], ["Deep House", "Ambient"]),
            ("Nina Simone", "Wild Is The Wind", "Philips", "LP, Album", "Very Good (VG)", "Very Good Plus (VG+)", 48, "2025-11-09T10:00:00-08:00", "J1", 1966, ["Jazz"], ["Soul-Jazz"]),
            ("Fela Kuti", "Zombie", "Coconut", "LP, Album", "Good (G)", "Fair (F)", 18, "2025-11-08T10:00:00-08:00", "W2", 1976, ["Funk / Soul"], ["Afrobeat"]),
            ("Aphex Twin", "Selected Ambient Works 85-92", "Apollo", "2xLP, Album, RE", "Near Mint (NM or M-)", "Near Mint (NM or M-)", 32, "2025-11-07T10:00:00-08:00", "A3", 1992, ["Electronic"], ["Ambient", "IDM"]),
            ("Various", "Strictly Rhythm Vol. 2", "Strictly Rhythm", "12\", Comp", "Very Good Plus (VG+)", "Generic", 7.63, "2025-11-06T10:00:00-08:00", "popup", 1992, ["Electronic"], ["House"]),
            ("Beenie Man", "Who Am I", "Greensleeves Records", "7\", Single", "Very Good (VG)", "No Cover", 4.36, "2025-11-05T10:00:00-08:00", "colin house", 1997, ["Reggae"], ["Dancehall"]),
        ]
        var listings: [ListingRecord] = []
        var releases: [ReleaseRecord] = []
        for (index, row) in rows.enumerated() {
            let id = Int64(3_700_000_000 + index * 1_111)
            var record = ListingRecord(listingID: id)
            record.artist = row.0
            record.title = row.1
            record.label = row.2
            record.format = row.3
            record.condition = row.4
            record.sleeveCondition = row.5
            record.priceValue = row.6
            record.priceCurrency = "USD"
            record.posted = row.7
            record.location = row.8
            record.year = row.9
            record.releaseID = Int64(5_000_000 + index)
            record.catalogNumber = "CAT-\(100 + index)"
            record.externalID = index % 3 == 0 ? "audit 09/16/25" : nil
            record.comments = index == 0
                ? "Plays through with light crackle on quiet passages. Sleeve has ring wear and a small seam split; inner sleeve original. Ships in a new outer sleeve."
                : index % 4 == 1 ? "some dust, light scratches and surface noise but certainly playable" : nil
            listings.append(record)
            var release = ReleaseRecord(releaseID: record.releaseID!, source: .discogs)
            release.genres = row.10
            release.styles = row.11
            release.country = ["UK", "Japan", "Germany", "UK", "UK", "US"][index % 6]
            release.fetchedAt = now
            release.communityHave = 100 + index * 37
            release.communityWant = 20 + index * 11
            if index == 0 {
                release.barcodes = ["5016958024121"]
                release.tracklist = [.init(position: "A", title: "Army Of Me", duration: "3:56"),
                                     .init(position: "B1", title: "You've Been Flirting Again (Flirt Is A Promise Mix)", duration: "4:44"),
                                     .init(position: "B2", title: "Sweet Sweet Intuition", duration: nil)]
            }
            releases.append(release)
        }
        return (listings, releases)
    }

    /// The fixture listing at `index` (its id).
    public static func listingID(_ index: Int) -> Int64 { Int64(3_700_000_000 + index * 1_111) }

    /// Four Discogs orders on the fixture shop, as a poll would read them: one paid with two
    /// items, one in progress with an item the mirror never had, one new, one shipped.
    public static func orders() -> (orders: [OrderRecord], messages: [String: [OrderMessage]]) {
        func item(_ index: Int, _ price: Double, _ description: String) -> OrderItemRecord {
            OrderItemRecord(listingID: listingID(index), releaseID: Int64(5_000_000 + index), description: description, price: price,
                            currency: "USD", mediaCondition: "Near Mint (NM or M-)", sleeveCondition: "Very Good Plus (VG+)")
        }
        let address = "Vinyl Fan\n12 Record Lane\n10115 Berlin\nGermany"
        let orders = [
            OrderRecord(id: "1234567-3", status: "Payment Received", nextStatus: ["Payment Received", "In Progress", "Shipped", "Cancelled (Item Unavailable)"],
                        created: "2025-11-25T10:00:00Z", lastActivity: "2025-11-25T10:30:00Z", buyer: "vinyl_fan", total: 82, totalCurrency: "USD",
                        fee: 6.56, feeCurrency: "USD", shippingMethod: "Standard", shippingValue: 12, shippingCurrency: "USD", shippingAddress: address,
                        instructions: "Please ship in a sturdy box, not an envelope.",
                        items: [item(2, 15, "Tschüssi - Auf Wiedersehen (LP, Album)"), item(10, 55, "Larry Heard - Sceneries Not Songs (LP, Album)")]),
            OrderRecord(id: "1234567-4", status: "In Progress", nextStatus: ["In Progress", "Shipped", "Cancelled (Item Unavailable)"],
                        created: "2025-11-24T12:00:00Z", lastActivity: "2025-11-25T09:00:00Z", buyer: "crate_digger", total: 40, totalCurrency: "USD",
                        fee: 3.2, feeCurrency: "USD", shippingMethod: "Standard", shippingValue: 5, shippingCurrency: "USD", shippingAddress: "Crate Digger\nOsaka",
                        items: [item(13, 32, "Aphex Twin - Selected Ambient Works 85-92 (2xLP, Album, RE)"),
                                OrderItemRecord(listingID: 999, description: "Unknown Artist - Lost Tape (Cass)", price: 3, currency: "USD")]),
            OrderRecord(id: "1234567-5", status: "New Order", nextStatus: ["New Order", "Invoice Sent", "Cancelled (Non-Paying Buyer)"],
                        created: "2025-11-25T11:40:00Z", lastActivity: "2025-11-25T11:40:00Z", buyer: "dj_kyoto", total: 38, totalCurrency: "USD",
                        items: [item(1, 30, "坂本龍一 - 戦場のメリークリスマス (LP, Album)")]),
            OrderRecord(id: "1234567-1", status: "Shipped", nextStatus: ["Shipped"],
                        created: "2025-11-20T12:00:00Z", lastActivity: "2025-11-22T12:00:00Z", buyer: "old_friend", total: 45, totalCurrency: "USD",
                        items: [item(4, 40, "The Beatles - Abbey Road (LP, Album, RE)")]),
        ]
        let messages = ["1234567-3": [
            OrderMessage(type: "status", subject: "Order 1234567-3", message: "Seller changed status from New Order to Payment Received",
                         sentAt: "2025-11-25T10:30:00Z", from: "freakinbeats"),
            OrderMessage(type: "message", subject: "Order 1234567-3", message: "Hi! Could you send it before Friday? It is a present.",
                         sentAt: "2025-11-25T10:05:00Z", from: "vinyl_fan"),
        ]]
        return (orders, messages)
    }

    /// A new mirror holding this shop, in a folder of its own (keep the folder while it is used).
    public static func mirror() throws -> (InventoryService, TemporaryDirectory) {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = listings()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        return (inventory, dir)
    }
}
