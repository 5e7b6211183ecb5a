import FakeDiscogs
import Foundation
import WaxStore

/// Issue #2's figures: import time, search and facet latencies, database size, on a generated
/// shop (100,000 listings by default).
enum StoreBenchmark {
    static func run(_ arguments: [String]) throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        let seed = UInt64(Measure.option("--seed", in: arguments) ?? "") ?? 1
        let repeats = Int(Measure.option("--repeats", in: arguments) ?? "") ?? 30
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wax-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let keep = Measure.option("--keep", in: arguments)
        defer {
            if let keep { try? FileManager.default.moveItem(at: dir.appendingPathComponent("bench.db"), to: URL(fileURLWithPath: keep)) }
            try? FileManager.default.removeItem(at: dir)
        }

        // A mirror kept by an earlier run (`--keep`) measures the queries alone, without the
        // minutes a million-row import takes.
        let existing = Measure.option("--database", in: arguments).map { URL(fileURLWithPath: $0) }
        let path = existing ?? dir.appendingPathComponent("bench.db")
        if let existing {
            guard FileManager.default.fileExists(atPath: existing.path) else { throw BenchError("no mirror at \(existing.path)") }
            print("wax-bench store: the queries on \(existing.lastPathComponent), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        } else {
            try importAndFloors(count: count, seed: seed, into: path, dir: dir, fillsAlone: !arguments.contains("--through-wal"))
        }
        let reopened = try InventoryService.open(at: path)
        let size = Double(try reopened.database.sizeInBytes()) / 1_000_000
        print("database size         \(Measure.fmt(size, 1)) MB   target ≤ 150 MB")
        let (listings, firstSeconds) = try Measure.seconds { try reopened.count(ListingQuery(text: "", limit: 1)) }
        // Issue #21's goals; a shop of a million listings has its own.
        let large = listings >= 1_000_000
        let targets = (first: large ? 300.0 : 100, search: large ? 30.0 : 10, facets: large ? 60.0 : 30)
        print("first query (the order) \(Measure.fmt(firstSeconds * 1000)) ms   target ≤ \(Int(targets.first)) ms  \(Measure.verdict(firstSeconds * 1000 <= targets.first))")
        // What the browser builds in the background after its first frame.
        let (_, prepareSeconds) = try Measure.seconds { try reopened.prepare() }
        print("prepared               \(Measure.fmt(prepareSeconds * 1000)) ms (filter columns, facet catalog, folded titles)")

        func queries(_ build: (String) -> ListingQuery, _ values: [String]) -> [ListingQuery] { values.map(build) }
        let oneWord = queries({ ListingQuery(text: $0, limit: 50) }, ["love", "dub", "bjork", "night", "house", "the", "beat", "soul", "deep", "sakamoto", "l", "mo", "tschuss", "parri"])
        let twoWords = queries({ ListingQuery(text: $0, limit: 50) }, ["deep house", "love night", "king tubby", "blue note", "dub version", "soul jazz", "theo parrish", "acid techno", "beat remix", "sound system"])
        let artist = queries({ var q = ListingQuery(limit: 50); q.artist = $0; return q }, ["bjork", "beatles", "moodymann", "parrish", "the", "dj", "sakamoto", "smith", "ø", "various", "nobody here"])
        let genreFormat: [ListingQuery] = [("electronic", "12\""), ("jazz", "lp"), ("reggae", "7\""), ("rock", "cassette"), ("hip hop", "lp"), ("classical", "cd"), ("funk", "45")].map {
            var q = ListingQuery(limit: 50)
            q.genre = $0.0
            q.format = $0.1
            return q
        }
        var facetQueries: [ListingQuery] = [ListingQuery()] + oneWord.prefix(5) + artist.prefix(4) + genreFormat.prefix(4)
        facetQueries = facetQueries.map { var q = $0; q.limit = nil; return q }

        let verbose = arguments.contains("--verbose")
        func measure(_ name: String, target: Double, _ queries: [ListingQuery], warm: Bool = false,
                     _ body: (ListingQuery) throws -> Void) throws {
            // A figure of answers already found starts once each has been found: the cold
            // searches before it forgot them.
            if warm { for query in queries { try body(query) } }
            var samples = Samples()
            var perQuery = Array(repeating: Samples(), count: queries.count)
            for _ in 0..<repeats {
                for (i, query) in queries.enumerated() {
                    let start = samples.values.count
                    try samples.time { try body(query) }
                    perQuery[i].values.append(samples.values[start])
                }
            }
            if verbose {
                for (i, query) in queries.enumerated() {
                    let label = [query.text, query.artist, query.genre, query.format].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "|")
                    print("    \(label.isEmpty ? "(everything)" : label): p50 \(Measure.fmt(perQuery[i].p50)) max \(Measure.fmt(perQuery[i].max))")
                }
            }
            let verdict = Measure.verdict(samples.p99 <= target)
            print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(Measure.fmt(samples.p50)) ms  p99 \(Measure.fmt(samples.p99)) ms  max \(Measure.fmt(samples.max)) ms   target p99 ≤ \(Int(target)) ms \(verdict)")
        }
        // Text answers are kept while the mirror is unchanged: measure each text as a new one.
        func cold(_ query: ListingQuery) throws {
            reopened.forgetRecentTextMatches()
            _ = try reopened.search(query)
        }
        try measure("search one-word prefix", target: targets.search, oneWord, cold)
        try measure("  floor: FTS5 alone", target: targets.search, oneWord) { _ = try reopened.fullTextOnlyCount($0.text) }
        try measure("  substring scan alone", target: targets.search, oneWord) { _ = try reopened.substringOnlyCount($0.text) }
        try measure("search two words", target: targets.search, twoWords, cold)
        try measure("search one word, again", target: targets.search, oneWord, warm: true) { _ = try reopened.search($0) }
        try measure("search artist filter", target: targets.search, artist) { _ = try reopened.search($0) }
        try measure("search genre+format", target: targets.search, genreFormat) { _ = try reopened.search($0) }
        try measure("facets", target: targets.facets, facetQueries) { _ = try reopened.facets($0, limit: 200) }
        try measure("page+count (UI read)", target: 16, oneWord + twoWords + artist + genreFormat, warm: true) { _ = try reopened.page($0) }
        print("peak RSS              \(Measure.fmt(Measure.peakRSSMegabytes, 0)) MB")
    }
}

extension StoreBenchmark {
    /// A generated shop's CSV parsed and written to `path`, then the same rows through SQLite alone.
    static func importAndFloors(count: Int, seed: UInt64, into path: URL, dir: URL, fillsAlone: Bool) throws {
        print("wax-bench store: \(count) listings, seed \(seed), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let (csv, generateSeconds) = Measure.seconds { ShopCSV.make(ShopGenerator(seed: seed, listings: count)) }
        print("generated CSV         \(csv.count / 1_000_000) MB in \(Measure.fmt(generateSeconds)) s")

        // As `wax import` opens it: an empty mirror is filled without the WAL (`--through-wal`:
        // as any other write, for comparison).
        let inventory = try InventoryService.open(at: path, fillsAlone: fillsAlone)
        let rssBeforeParse = Measure.rssMegabytes, peakReset = Measure.resetPeakRSS()
        let (parsed, parseSeconds) = try Measure.seconds { try CSVImport.parse(csv) }
        let parsePeak = Measure.peakRSSMegabytes - rssBeforeParse
        let (outcome, applySeconds) = try Measure.seconds { try inventory.importer.importListings(parsed.records, releases: parsed.releases) }
        guard parsed.errors.isEmpty else { throw BenchError("generated CSV had \(parsed.errors.count) bad rows: \(parsed.errors.prefix(3))") }
        let importGoal = count >= 1_000_000 ? "   target ≤ 30 s \(Measure.verdict(parseSeconds + applySeconds <= 30))" : ""
        print("import                \(Measure.fmt(parseSeconds + applySeconds)) s  (parse \(Measure.fmt(parseSeconds)) s, write \(Measure.fmt(applySeconds)) s)\(importGoal)")
        print("  write through       \(outcome.journal.benchmarkText)")
        print("  write phases        " + outcome.phases.map { "\($0.name) \(Measure.fmt($0.seconds))" }.joined(separator: ", "))
        if peakReset { print("  parse peak          +\(Measure.fmt(parsePeak, 0)) MB over the CSV's bytes (the rows, held for the write)") }
        try inventory.database.close()
        let floor = try floors(csv: csv, in: dir, parseSeconds: parseSeconds, applySeconds: applySeconds, phases: outcome.phases, journal: outcome.journal)
        try rebuildFloors(of: path, bareInsertSeconds: floor.bareInsertSeconds, applySeconds: applySeconds, phases: outcome.phases)
    }
}

extension StoreBenchmark {
    /// The same rows through SQLite alone, in the same run: what an import cannot beat.
    static func floors(csv: Data, in dir: URL, parseSeconds: Double, applySeconds: Double, phases: [ImportOutcome.Phase],
                       journal: WriteJournal) throws -> WriteFloor.Figures {
        let total = parseSeconds + applySeconds
        // Through the same journal as the import: the floor is what SQLite alone costs the same way.
        let floor = try WriteFloor.measure(csv: csv, at: dir.appendingPathComponent("floor.db"), journal: journal)
        print("  floor: bare insert  \(Measure.fmt(floor.bareInsertSeconds)) s (the CSV's fields as text, one statement, no index)")
        print("  floor: bare FTS     \(Measure.fmt(floor.bareFullTextSeconds)) s (an FTS5 index of the same searchable fields)")
        let rows = phases.first { $0.name == "rows" }?.seconds ?? .nan
        let fullText = phases.first { $0.name == "full-text" }?.seconds ?? .nan
        print("  rows vs bare insert \(Measure.fmt(rows / floor.bareInsertSeconds, 1))×, full-text vs bare FTS \(Measure.fmt(fullText / floor.bareFullTextSeconds, 1))×")
        let searchable = floor.bareInsertSeconds + floor.bareFullTextSeconds
        print("  write vs bare insert + bare FTS (\(Measure.fmt(searchable)) s, the least a searchable mirror costs) \(Measure.fmt(applySeconds / searchable, 1))×")
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: sqlite3.path) else {
            print("  sqlite3 .import     not measured: no /usr/bin/sqlite3 (apt-get install sqlite3)")
            return floor
        }
        let file = dir.appendingPathComponent("shop.csv")
        try csv.write(to: file)
        let process = Process()
        process.executableURL = sqlite3
        process.arguments = [dir.appendingPathComponent("dotimport.db").path, ".mode csv", ".import \(file.path) shop"]
        let (_, importSeconds) = try Measure.seconds {
            try process.run()
            process.waitUntilExit()
        }
        guard process.terminationStatus == 0 else { throw BenchError("sqlite3 .import failed (\(process.terminationStatus))") }
        print("  floor: sqlite3 .import \(Measure.fmt(importSeconds)) s; wax's import is \(Measure.fmt(total / importSeconds, 1))× that (issue 21 asked ≤ 2.0×, "
              + "but .import writes one table of text with no index and no full text)")
        return floor
    }
}

extension StoreBenchmark {
    /// The indexes and full text of the mirror just built, built again by SQLite alone and
    /// rolled back: those phases of the import are these statements, so this is their floor.
    static func rebuildFloors(of path: URL, bareInsertSeconds: Double, applySeconds: Double, phases: [ImportOutcome.Phase]) throws {
        let again = try WriteFloor.rebuild(of: path)
        let phase = { (name: String) in phases.first { $0.name == name }?.seconds ?? .nan }
        print("  floor: SQLite alone building the mirror's indexes \(Measure.fmt(again.indexSeconds)) s, its full text \(Measure.fmt(again.fullTextSeconds)) s "
              + "(again, over the finished mirror, rolled back)")
        print("  indexes vs that \(Measure.fmt(phase("indexes") / again.indexSeconds, 1))×, full-text vs that \(Measure.fmt(phase("full-text") / again.fullTextSeconds, 1))×")
        let mirrorFloor = bareInsertSeconds + again.indexSeconds + again.fullTextSeconds
        print("  write vs bare insert + those (\(Measure.fmt(mirrorFloor)) s, the least this mirror's indexes and full text cost) \(Measure.fmt(applySeconds / mirrorFloor, 1))×")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
