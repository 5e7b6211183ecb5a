import Foundation
import Testing
@testable import WaxStore
import WaxTestSupport

/// Current listings are answered from the in-memory index, queries including removed listings
/// by SQL. Both must give what the documented semantics say: this checks random queries against
/// a plain Swift model of those semantics. The model folds and splits text its own way (not
/// with `TextFold` or `FullTextQuery`), so a bug there can't hide in both.
@Suite struct QueryPlanEquivalenceTests {
    /// Case and accents away, the plain way: canonical decomposition, combining marks dropped,
    /// lower case.
    static func plainFold(_ text: String) -> String {
        var out = ""
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            out += String(scalar).lowercased()
        }
        return out
    }

    /// A format string's parts as a person filters by them: `2xLP, Album` → `LP`, `Album`.
    static func plainFormatParts(_ format: String?) -> [String] {
        guard let format else { return [] }
        var parts: [String] = []
        for piece in format.components(separatedBy: ",") {
            var part = piece.trimmingCharacters(in: .whitespaces)
            if let match = part.firstMatch(of: /^[0-9]+x(.+)$/) { part = String(match.1).trimmingCharacters(in: .whitespaces) }
            if !part.isEmpty, !parts.contains(where: { plainFold($0) == plainFold(part) }) { parts.append(part) }
        }
        return parts
    }

    /// Words as a person sees them: runs of letters and digits, everything else a separator.
    static func plainWords(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    struct Model {
        var listings: [ListingRecord]
        var genres: [Int64: [String]]     // release id → genres
        var styles: [Int64: [String]]
        var removed: Set<Int64>
        /// Each listing's words and folded texts, computed once.
        var words: [Int64: [String]] = [:]
        var folded: [String: String] = [:]
        var sortKeys: [SortField: [Int64: Key]] = [:]
        var foldedRows: [Int64: FoldedRow] = [:]
        /// The order listings were stored in (the import's): ties of the posted order follow it.
        var stored: [Int64: Int] = [:]

        init(listings: [ListingRecord], genres: [Int64: [String]], styles: [Int64: [String]], removed: Set<Int64>) {
            self.listings = listings
            self.genres = genres
            self.styles = styles
            self.removed = removed
            for record in listings {
                let listingFields: [String?] = [record.artist, record.title, record.label, record.catalogNumber, record.location, record.comments]
                let releaseFields: [String] = [(genres[record.releaseID ?? 0] ?? []).joined(separator: "; "),
                                               (styles[record.releaseID ?? 0] ?? []).joined(separator: "; ")]
                words[record.listingID] = (listingFields.compactMap { $0 } + releaseFields).flatMap { plainWords(fold($0)) }
                for text in listingFields.compactMap({ $0 }) + [record.format, record.condition, record.sleeveCondition, record.status.rawValue].compactMap({ $0 })
                    + (genres[record.releaseID ?? 0] ?? []) + (styles[record.releaseID ?? 0] ?? []) {
                    _ = fold(text)
                }
            }
            for record in listings { foldedRows[record.listingID] = foldedRow(record) }
            for (index, record) in listings.enumerated() { stored[record.listingID] = index }
            for field in SortField.allCases {
                var keys: [Int64: Key] = [:]
                for record in listings { keys[record.listingID] = key(record, field) }
                sortKeys[field] = keys
            }
        }

        private mutating func fold(_ text: String) -> String {
            if let done = folded[text] { return done }
            let result = plainFold(text)
            folded[text] = result
            return result
        }

        func f(_ text: String) -> String { folded[text] ?? plainFold(text) }

        /// The query with its needles folded once.
        struct Needles {
            var query: ListingQuery
            var words: [String]
            /// The whole text, folded: found in a title or an artist, it matches too.
            var whole: String
            var filters: [FacetKind: [String]] = [:]
            init(_ query: ListingQuery) {
                self.query = query
                words = plainWords(plainFold(query.text))
                whole = plainFold(query.text.trimmingCharacters(in: .whitespaces))
                for kind in FacetKind.textFilters {
                    let needles = query[values: kind].map { plainFold($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
                    if !needles.isEmpty { filters[kind] = needles }
                }
            }
        }

        /// A listing's folded filter fields, computed once.
        struct FoldedRow {
            var fields: [FacetKind: [String]] = [:]
        }

        func foldedRow(_ record: ListingRecord) -> FoldedRow {
            var row = FoldedRow()
            let single: [(FacetKind, String?)] = [(.artist, record.artist), (.label, record.label),
                                                   (.location, record.location), (.condition, record.condition),
                                                   (.sleeveCondition, record.sleeveCondition), (.status, record.status.rawValue)]
            for (kind, value) in single { row.fields[kind] = value.map { [f($0)] } ?? [] }
            row.fields[.format] = plainFormatParts(record.format).map(f)
            row.fields[.genre] = (genres[record.releaseID ?? 0] ?? []).map(f)
            row.fields[.style] = (styles[record.releaseID ?? 0] ?? []).map(f)
            return row
        }

        func matches(_ record: ListingRecord, _ needles: Needles) -> Bool {
            let query = needles.query
            if !query.includeRemoved && removed.contains(record.listingID) { return false }
            if !needles.whole.isEmpty {
                let recordWords = words[record.listingID] ?? []
                let byWords = !needles.words.isEmpty && needles.words.allSatisfy { word in recordWords.contains { $0.hasPrefix(word) } }
                let bySubstring = [record.artist, record.title].contains { $0.map { f($0).contains(needles.whole) } ?? false }
                guard byWords || bySubstring else { return false }
            }
            let row = foldedRows[record.listingID]!
            // A kind matches when a field contains any of its needles; kinds are ANDed.
            for (kind, kindNeedles) in needles.filters {
                guard row.fields[kind, default: []].contains(where: { field in kindNeedles.contains { field.contains($0) } }) else { return false }
            }
            if let min = query.minPrice { guard let p = record.priceValue, p >= min else { return false } }
            if let max = query.maxPrice { guard let p = record.priceValue, p <= max else { return false } }
            if let min = query.minYear { guard let y = record.year, y >= min else { return false } }
            if let max = query.maxYear { guard let y = record.year, y <= max else { return false } }
            return true
        }

        enum Key: Comparable {
            case null, number(Double), text([UInt8])
            static func < (a: Key, b: Key) -> Bool {
                switch (a, b) {
                case (.null, .null): false
                case (.null, _): true
                case (_, .null): false
                case (.number(let x), .number(let y)): x < y
                case (.text(let x), .text(let y)): x.lexicographicallyPrecedes(y)
                default: false
                }
            }
        }

        func key(_ record: ListingRecord, _ field: SortField) -> Key {
            switch field {
            case .posted: record.postedAt.map { .number($0.timeIntervalSince1970.rounded(.down)) } ?? .null
            case .price: record.priceValue.map(Key.number) ?? .null
            case .artist: record.artist.map { .text(Array(f($0).utf8)) } ?? .null
            case .title: record.title.map { .text(Array(f($0).utf8)) } ?? .null
            case .year: record.year.map { .number(Double($0)) } ?? .null
            case .condition: ConditionGrade(discogs: record.condition).map { .number(Double($0.rawValue)) } ?? .null
            case .location: record.location.map { .text(Array(f($0).utf8)) } ?? .null
            }
        }

        func answer(_ query: ListingQuery) -> [Int64] {
            let needles = Needles(query)
            let hits = listings.filter { matches($0, needles) }
            let keys = sortKeys[query.sort.field]!
            let sorted = hits.sorted { a, b in
                let ka = keys[a.listingID]!, kb = keys[b.listingID]!
                // Listings without a value come last either way (bins, prices, years…).
                if ka != kb, query.sort.field != .posted, ka == .null || kb == .null { return kb == .null }
                if ka != kb { return query.sort.descending ? kb < ka : ka < kb }
                if query.sort.field == .posted {
                    // Newest first, ties in the order first stored; the reverse reversed.
                    return query.sort.descending ? stored[a.listingID]! < stored[b.listingID]! : stored[a.listingID]! > stored[b.listingID]!
                }
                return query.sort.descending ? a.listingID > b.listingID : a.listingID < b.listingID
            }
            let window = sorted.dropFirst(query.offset)
            return Array(query.limit.map { window.prefix($0) } ?? window).map(\.listingID)
        }

        func facetCounts(_ query: ListingQuery) -> [FacetKind: [String: Int]] {
            let needles = Needles(query)
            var all: [FacetKind: [String: Int]] = [:]
            for record in listings where matches(record, needles) {
                for kind in FacetKind.allCases {
                let values: [String?]
                switch kind {
                case .artist: values = [record.artist]
                case .label: values = [record.label]
                case .format: values = plainFormatParts(record.format)
                case .location: values = [record.location]
                case .condition: values = [record.condition]
                case .sleeveCondition: values = [record.sleeveCondition]
                case .status: values = [record.status.rawValue]
                case .year: values = [record.year.map(String.init)]
                case .genre: values = genres[record.releaseID ?? 0] ?? []
                case .style: values = styles[record.releaseID ?? 0] ?? []
                }
                for value in values.compactMap({ $0 }) { all[kind, default: [:]][f(value), default: 0] += 1 }
                }
            }
            return all
        }
    }

    static func makeData() -> (Model, [ReleaseRecord]) {
        var rng = SeededRandom(seed: 42)
        let artists = ["Björk", "The Beatles", "Beat Happening", "Sigur Rós", "Tschüssi", "Moodymann", "Theo Parrish",
                       "Larry Heard", "Kerri Chandra", "Aphex Twin", "Boards of Canada", "Burial", "Four Tet", "Nina Simone",
                       "Miles Davis", "Herbie Hancock", "Fela Kuti", "Lee Perry", "King Tubby", "Augustus Pablo",
                       "Dennis Brown", "Gregory Isaacs", "Bob Marley", "Daft Punk", "Stereolab", "Broadcast", "Café Tacvba",
                       "坂本龍一", "Françoise Hardy", "Serge Gainsbourg", "Various",
                       // Names from the real shop's CSV, with its letters that are not ASCII.
                       "1Ø PILLS MATE", "Nick León", "Thalía Featuring Fat Joe", "Ché*", "FAÏG", "Batu (4) & Nick León"]
        let titleWords = ["Love", "Night", "Dance", "Beat", "Dub", "Sound", "System", "Rhythm", "Blue", "Soul", "Fire",
                          "Déjà", "Vu", "Über", "Alles", "Tonight", "Forever", "Theme", "Remix", "Edit", "Part", "One",
                          "Fast Fünfzig EP", "I Don´t Want You Back", "AOS-009½", "Y4K → FreQ Nasty", "Détwat"]
        let labels = ["Warp Records", "Blue Note", "Motown", "Island Records", "Trojan Records", "Studio One",
                      "Strictly Rhythm", "Rekids", "Kompakt", "Mute", "Rough Trade", "K Records", "One Little Indian",
                      "Cómeme", "ZoëMagik Records", "1ØPILLS021"]
        let formats = ["LP, Album", "12\", 33 ⅓ RPM", "7\", Single, 45 RPM", "LP, Album, RE", "CD, Album", "2xLP, Album",
                       "12\", EP", "Cassette, Album"]
        let conditions = ["Mint (M)", "Near Mint (NM or M-)", "Very Good Plus (VG+)", "Very Good (VG)", "Good Plus (G+)",
                          "Good (G)", "Fair (F)", "Poor (P)"]
        let sleeves = conditions + ["Generic", "Not Graded", "No Cover"]
        let locations = ["A1", "A2", "B1", "B2", "C-A1", "popup", "colin house", "50% off", "bin_1", "bin 1", "D1.3", "back room"]
        let genres = ["Electronic", "Rock", "Jazz", "Hip Hop", "Funk / Soul", "Reggae", "Pop", "Latin", "Folk, World, & Country"]
        let styles = ["House", "Techno", "Deep House", "Dub", "Roots Reggae", "Hard Bop", "Soul-Jazz", "Ambient", "IDM", "Synth-pop"]
        func pick<T>(_ list: [T]) -> T { list[Int.random(in: 0..<list.count, using: &rng)] }
        func skewed<T>(_ list: [T]) -> T {
            // A few values dominate (as real shops have), so both selective and broad filters occur.
            let roll = Double.random(in: 0..<1, using: &rng)
            return list[Int(Double(list.count) * roll * roll * roll)]
        }
        var records: [ListingRecord] = []
        var releases: [ReleaseRecord] = []
        var releaseGenres: [Int64: [String]] = [:], releaseStyles: [Int64: [String]] = [:]
        for i in 0..<2_500 {
            let id = Int64(3_000_000_000) + Int64(i) * 13
            let releaseID = Int64(100 + Int.random(in: 0..<1_800, using: &rng))
            var record = Fixture.listing(
                id, artist: Int.random(in: 0..<50, using: &rng) == 0 ? nil : skewed(artists),
                title: (0..<Int.random(in: 1...3, using: &rng)).map { _ in pick(titleWords) }.joined(separator: " "),
                label: skewed(labels), format: pick(formats), condition: skewed(conditions), sleeve: pick(sleeves),
                price: Int.random(in: 0..<30, using: &rng) == 0 ? nil : Double(Int.random(in: 100...20_000, using: &rng)) / 100,
                posted: String(format: "2025-%02d-%02dT%02d:00:00-07:00", Int.random(in: 1...12, using: &rng),
                               Int.random(in: 1...28, using: &rng), Int.random(in: 0...23, using: &rng)),
                location: skewed(locations), year: Int.random(in: 0..<10, using: &rng) == 0 ? nil : Int.random(in: 1960...2025, using: &rng),
                releaseID: releaseID, comments: Int.random(in: 0..<4, using: &rng) == 0 ? "Plays through, light hiss on side B" : nil)
            if Int.random(in: 0..<40, using: &rng) == 0 { record.status = "Draft" }
            records.append(record)
            if releaseGenres[releaseID] == nil, Int.random(in: 0..<3, using: &rng) > 0 {
                let g = Array(Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in skewed(genres) })).sorted()
                let s = Array(Set((0..<Int.random(in: 0...2, using: &rng)).map { _ in pick(styles) })).sorted()
                releaseGenres[releaseID] = g
                releaseStyles[releaseID] = s
                releases.append(Fixture.release(releaseID, genres: g, styles: s))
            }
        }
        let removed = Set(records.indices.filter { $0 % 17 == 0 }.map { records[$0].listingID })
        return (Model(listings: records, genres: releaseGenres, styles: releaseStyles, removed: removed), releases)
    }

    static func randomQuery(_ rng: inout SeededRandom) -> ListingQuery {
        func maybe(_ options: [String]) -> String? {
            Int.random(in: 0..<3, using: &rng) == 0 ? options[Int.random(in: 0..<options.count, using: &rng)] : nil
        }
        var query = ListingQuery(text: maybe(["b", "be", "beat", "the", "love night", "bjö", "ros", "dub", "hiss", "zz", "déjà", "c", "blue soul", "a1", "house", "jazz",
                                              "funf", "fünf", "leon", "ø", "1ø", "009", "aos", "don", "t", "zoe", "come", "thal", "faig", "y4k", "freq", "detw",
                                              // The old app's substrings: inside words, punctuation, a bare %.
                                              "emix", "ouse", "eat hap", "% off", "100%", "´t", "→", "ght dan"]) ?? "")
        query.artist = maybe(["a", "the", "bjo", "BEAT", "ü", "nobody", "r", "tubby", "龍", "león", "LEON", "ø pills", "é", "ï", "*"])
        query.genre = maybe(["electronic", "o", "jazz", "country", "xyz"])
        query.style = maybe(["house", "dub", "bop"])
        query.format = maybe(["lp", "7\"", "cassette", "⅓", "cd"])
        // Sometimes a second value of a kind: either matches.
        if Int.random(in: 0..<4, using: &rng) == 0, let more = maybe(["12\"", "single", "album", "ep"]) { query[values: .format].append(more) }
        if Int.random(in: 0..<5, using: &rng) == 0, let more = maybe(["miles", "fela", "léon"]) { query[values: .artist].append(more) }
        query.label = maybe(["records", "blue", "warp", "come", "zoë", "ømag", "ø"])
        query.condition = maybe(["vg+", "mint", "(g)", "m"])
        query.sleeveCondition = maybe(["generic", "vg"])
        query.location = maybe(["a", "50%", "bin_", "_", "%", "b1"])
        query.status = Int.random(in: 0..<10, using: &rng) == 0 ? "draft" : nil
        if Int.random(in: 0..<5, using: &rng) == 0 { query.minPrice = Double(Int.random(in: 1...100, using: &rng)) }
        if Int.random(in: 0..<5, using: &rng) == 0 { query.maxPrice = Double(Int.random(in: 20...200, using: &rng)) }
        if Int.random(in: 0..<6, using: &rng) == 0 { query.minYear = Int.random(in: 1960...2000, using: &rng) }
        if Int.random(in: 0..<6, using: &rng) == 0 { query.maxYear = Int.random(in: 1980...2025, using: &rng) }
        query.includeRemoved = Int.random(in: 0..<6, using: &rng) == 0
        query.sort = ListingSort(SortField.allCases[Int.random(in: 0..<SortField.allCases.count, using: &rng)],
                                 descending: Bool.random(using: &rng))
        query.limit = [nil, 1, 10, 50, 200][Int.random(in: 0..<5, using: &rng)]
        query.offset = [0, 0, 3, 40][Int.random(in: 0..<4, using: &rng)]
        return query
    }

    @Test func randomQueriesAgreeWithTheModel() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let (model, releases) = Self.makeData()
        _ = try inventory.importer.importListings(model.listings, releases: releases)
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: Dictionary(uniqueKeysWithValues: model.removed.map { ($0, "sold") }), trigger: .test))
        var rng = SeededRandom(seed: 7)
        var inMemory = 0, sql = 0, empties = 0
        for round in 0..<300 {
            let query = Self.randomQuery(&rng)
            let expected = model.answer(query)
            let got = try inventory.search(query).map(\.id)
            #expect(got == expected, "round \(round): \(query)")
            var whole = query
            whole.limit = nil
            whole.offset = 0
            let expectedCount = model.answer(whole).count
            #expect(try inventory.count(query) == expectedCount, "round \(round) count: \(query)")
            if expectedCount == 0 { empties += 1 }
            if query.includeRemoved { sql += 1 } else { inMemory += 1 }
            if round % 4 == 0 {
                let facets = try inventory.facets(query)
                let expectedFacets = model.facetCounts(query)
                for kind in FacetKind.allCases {
                    var got: [String: Int] = [:]
                    for value in facets[kind] { got[Self.plainFold(value.value), default: 0] += value.count }
                    #expect(got == expectedFacets[kind] ?? [:], "round \(round) facet \(kind): \(query)")
                }
            }
        }
        // Both paths must have been exercised, or this test proves less than it claims.
        #expect(inMemory > 100 && sql > 20 && empties > 10, "in memory \(inMemory), SQL \(sql), empty \(empties)")
    }

    @Test func theIndexFollowsEveryWrite() throws {
        // A second process (another connection) writes; this service must notice and reload.
        let dir = TemporaryDirectory()
        let path = dir.file("shared.db")
        let reader = try InventoryService.open(at: path)
        let writer = try InventoryService.open(at: path)
        _ = try writer.importer.importListings([Fixture.listing(1, artist: "Alpha"), Fixture.listing(2, artist: "Beta")])
        #expect(try reader.count(ListingQuery(text: "alpha")) == 1)
        _ = try writer.importer.importListings([Fixture.listing(3, artist: "Alphaville")])
        #expect(try reader.count(ListingQuery(text: "alpha")) == 2)
        _ = try writer.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [1: "sold"], trigger: .test))
        #expect(try reader.search(ListingQuery(text: "alpha")).map(\.id) == [3])
        var query = ListingQuery(text: "alpha")
        query.includeRemoved = true
        #expect(Set(try reader.search(query).map(\.id)) == [1, 3])
    }
}
