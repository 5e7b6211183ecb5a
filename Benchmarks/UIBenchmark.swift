import FakeDiscogs
import Foundation
import WaxStore
import WaxUI

/// Issue #4's figures: keystroke-to-frame latency through state, store and rendering into the
/// in-memory grid (what the terminal driver then copies to curses), start-to-first-frame, and
/// the browser's peak RSS, on a generated shop of 100,000 listings.
///
/// The mirror is built by a child process (`wax-bench ui-prepare`), so that generating and
/// importing 100,000 listings doesn't count in this process's peak RSS: what is measured is
/// what a staff member's `wax` holds.
enum UIBenchmark {
    static func run(_ arguments: [String]) throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        let repeats = Int(Measure.option("--repeats", in: arguments) ?? "") ?? 5
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wax-bench-ui-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = Measure.option("--database", in: arguments).map { URL(fileURLWithPath: $0) }
            ?? dir.appendingPathComponent("ui.db")
        if !FileManager.default.fileExists(atPath: database.path) {
            print("wax-bench ui: building a mirror of \(count) listings in a child process…")
            try prepareInChild(database: database, count: count)
        }

        print("wax-bench ui: \(database.lastPathComponent), 120×35, \(repeats) rounds of the key script")
        let rssBefore = Measure.peakRSSMegabytes
        var frame = Samples()
        let inventory = try InventoryService.open(at: database)
        let session = try frame.time { () throws -> Session in
            let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "bench",
                                      columns: 120, rows: 35, syncAvailable: false)
            _ = session.frame
            return session
        }
        let rssAtFirstFrame = Measure.peakRSSMegabytes
        // Issue #21's goals; a shop of a million listings has its own.
        let large = session.state.total >= 1_000_000
        let targets = (frame: large ? 300.0 : 100, p99: 8.0, max: 16.0, rss: large ? 150.0 : 45)
        print("start to first frame   \(Measure.fmt(frame.values[0])) ms   target ≤ \(Int(targets.frame)) ms  \(Measure.verdict(frame.values[0] <= targets.frame))")
        print("  showing              \(session.state.total) listings")
        // What the first filter or search needs is built in the background once the first
        // frame is up; waiting for it here shows its cost and its memory apart from the keys'.
        let (_, prepareSeconds) = try Measure.seconds { try inventory.prepare() }
        print("  prepared for filters and search \(Measure.fmt(prepareSeconds * 1000)) ms after the first frame; RSS \(Measure.fmt(rssAtFirstFrame, 1)) MB at the first frame, \(Measure.fmt(Measure.peakRSSMegabytes, 1)) MB prepared")

        if arguments.contains("--parts") {
            // Each part on its own, in the order prepare builds them, with the memory it adds,
            // on a second open of the file (the session's own were built in the background).
            let inventory = try InventoryService.open(at: database)
            _ = try inventory.count(ListingQuery())
            var cheap = ListingQuery(text: "")
            cheap.minPrice = 0
            for (part, ask) in [("filter columns", { _ = try inventory.count(cheap) }),
                                ("facet catalog", { _ = try inventory.facets(ListingQuery(), limit: 1) }),
                                ("folded titles", { _ = try inventory.count(ListingQuery(text: "zqxj")) })] as [(String, () throws -> Void)] {
                let before = Measure.rssMegabytes
                let (_, seconds) = try Measure.seconds(ask)
                print("  \(part): \(Measure.fmt(seconds * 1000)) ms, +\(Measure.fmt(Measure.rssMegabytes - before, 1)) MB resident, peak \(Measure.fmt(Measure.peakRSSMegabytes, 1)) MB")
            }
        }
        var all = Samples()
        var byStep: [(String, Samples)] = []
        var peakAfterStep: [String: Double] = [:]   // in the first round: which step raised it
        for round in 0..<repeats {
            for (name, keys) in script {
                var samples = Samples()
                for key in keys {
                    try samples.time {
                        try session.handle(key)
                        _ = session.frame
                    }
                }
                all.values += samples.values
                if round == 0 {
                    byStep.append((name, samples))
                    peakAfterStep[name] = Measure.peakRSSMegabytes
                } else if let i = byStep.firstIndex(where: { $0.0 == name }) {
                    byStep[i].1.values += samples.values
                }
            }
        }
        for (name, samples) in byStep {
            print("  \(name.padding(toLength: 30, withPad: " ", startingAt: 0)) p50 \(Measure.fmt(samples.p50)) ms  p99 \(Measure.fmt(samples.p99)) ms  max \(Measure.fmt(samples.max)) ms  (\(samples.values.count) keys)  peak \(Measure.fmt(peakAfterStep[name] ?? .nan, 1)) MB")
        }
        print("keystroke to frame     p50 \(Measure.fmt(all.p50)) ms  p99 \(Measure.fmt(all.p99)) ms  max \(Measure.fmt(all.max)) ms  (\(all.values.count) keys)   "
              + "target p99 ≤ \(Int(targets.p99)) ms \(Measure.verdict(all.p99 <= targets.p99)), max ≤ \(Int(targets.max)) ms \(Measure.verdict(all.max <= targets.max))")
        let rss = Measure.peakRSSMegabytes
        print("peak RSS               \(Measure.fmt(rss, 1)) MB (before opening the mirror \(Measure.fmt(rssBefore, 1)) MB)   target ≤ \(Int(targets.rss)) MB  \(Measure.verdict(rss <= targets.rss))")
        print("  its own memory now   \(Measure.fmt(Measure.anonymousRSSMegabytes, 1)) MB (RssAnon; the rest is program and library pages every wax on the server shares)")
        if arguments.contains("--verbose") {
            // Where the first frame's time goes, on a second open of the same file: last, since a
            // second index (and its session's preparing in the background) would count in the peak.
            var parts = Samples()
            let inventory = try parts.time { try InventoryService.open(at: database) }
            _ = try parts.time { try inventory.count(ListingQuery()) }
            let second = try parts.time { try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "bench", columns: 120, rows: 35, syncAvailable: false) }
            _ = parts.time { second.frame }
            print("  open \(Measure.fmt(parts.values[0])) ms, index \(Measure.fmt(parts.values[1])) ms, session \(Measure.fmt(parts.values[2])) ms, render \(Measure.fmt(parts.values[3])) ms")
        }
        if arguments.contains("--mappings") {
            for (name, megabytes) in Measure.residentByMapping().prefix(15) { print("    \(Measure.fmt(megabytes, 1)) MB  \(name)") }
        }
    }

    /// What a staff member does, as keys. Each round starts from the plain list and ends there.
    static let script: [(String, [Key])] = {
        func typed(_ text: String) -> [Key] { text.map { .character($0) } }
        return [
            ("move j/k", Array(repeating: .character("j"), count: 60) + Array(repeating: .character("k"), count: 20)),
            ("page PgDn/PgUp", Array(repeating: .pageDown, count: 30) + Array(repeating: .pageUp, count: 10)),
            ("jump G/g", [.character("G"), .character("k"), .character("g"), .end, .home]),
            ("search typing", [.character("/")] + typed("love night") + Array(repeating: .backspace, count: 6) + typed(" dub") + [.enter]),
            ("move in a search", Array(repeating: .character("j"), count: 20) + [.pageDown, .character("G"), .character("g")]),
            ("clear search", [.character("/"), .escape]),
            ("sort o/O", [.character("o"), .character("o"), .character("o"), .character("O"), .character("o"), .character("o"), .character("o"), .character("o"), .character("O")]),
            ("open detail", [.enter, .character("j"), .character("j"), .escape, .character("j"), .enter, .escape]),
            ("filter pane", [.character("f"), .character("j"), .character("j"), .enter, .character("l"), .enter, .character("l"), .character("l"),
                             .character("j"), .enter, .character("h"), .backspace, .tab, .character("j"), .character("j"), .tab, .escape]),
            ("clear all", [.character("x"), .character("g")]),
        ]
    }()

    static func prepareInChild(database: URL, count: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["ui-prepare", "--listings", String(count), "--database", database.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("ui-prepare failed (\(process.terminationStatus))") }
    }

    /// `wax-bench ui-prepare`: generate a shop and import it, as `wax import` would.
    static func prepare(_ arguments: [String]) throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        guard let path = Measure.option("--database", in: arguments) else { throw BenchError("ui-prepare needs --database") }
        let csv = ShopCSV.make(ShopGenerator(seed: 1, listings: count))
        let parsed = try CSVImport.parse(csv)
        let inventory = try InventoryService.open(at: URL(fileURLWithPath: path))
        _ = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        try inventory.database.close()
    }
}
