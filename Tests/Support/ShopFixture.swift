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
}
