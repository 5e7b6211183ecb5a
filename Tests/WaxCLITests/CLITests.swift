import Foundation
import Testing
import WaxStore
import WaxTestSupport
import WaxTestTraits

/// Drives the built `wax` binary the way an operator would.
@Suite struct CLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func run(_ arguments: [String], env: [String: String] = [:]) async throws -> Subprocess.Result {
        try await Subprocess.run(wax, arguments, environment: Subprocess.isolatedEnvironment(home: home.url, extra: env))
    }

    @Test(.needsSharedData) func importSearchShowStatsExport() async throws {
        let imported = try await run(["import", SharedData.shopCSV.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        for line in ["total_rows  520", "imported    520", "updated     0", "skipped     0", "errors      0"] {
            #expect(imported.stdout.contains(line), "\(imported.stdout)")
        }
        // The old script's spelling works too, and a second run imports nothing new.
        let again = try await run(["import", "--csv-file", SharedData.shopCSV.path, "--json"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("\"skipped\": 520"))

        let json = try await run(["search", "--query", "bjork", "--json"])
        #expect(json.status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 1)
        #expect(objects[0]["listing_id"] as? String == "3749023570")
        #expect(objects[0]["primary_artist"] as? String == "Björk")
        #expect(objects[0]["price_value"] as? Double == 5.45)
        #expect(objects[0].keys.contains("genres") && objects[0]["genres"] is NSNull)

        let table = try await run(["search", "--artist", "beenie", "--sort", "price:asc"])
        #expect(table.stdout.contains("Beenie Man") && table.stdout.contains("showing 2 of 2"))
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[2].contains("1.09 USD") && lines[3].contains("2.18 USD"))

        let csv = try await run(["search", "--location", "popup", "--csv"])
        #expect(csv.stdout.hasPrefix("artist_names,barcode,catalog_number"))
        #expect(csv.stdout.split(separator: "\r\n").count == 103)  // header + 102 listings whose location holds "popup"

        let show = try await run(["show", "3639550236"])
        #expect(show.stdout.contains("Anthony B / Heather Cummings") && show.stdout.contains("colin house"))
        let missing = try await run(["show", "1"])
        #expect(missing.status == 2 && missing.stderr == "wax: no listing 1 in the mirror\n")

        let stats = try await run(["stats", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["total_listings"] as? Int == 520)
        #expect((object["last_updated"] as? String)?.firstMatch(of: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/) != nil)

        let exported = home.file("export.csv")
        let wrote = try await run(["export", "--format", "csv", "--output", exported.path])
        // Success is news, not a warning.
        #expect(wrote.status == 0 && wrote.stderr == "wax: wrote 520 listings to \(exported.path)\n", "\(wrote.stderr)")
        let reimported = try await run(["import", exported.path, "--json"], env: ["DATABASE_URL": home.file("other.db").path])
        #expect(reimported.stdout.contains("\"imported\": 520") && reimported.stdout.contains("\"errors\": 0"))
    }

    @Test func aBadRowExitsOneAndNamesTheLine() async throws {
        let file = home.file("bad.csv")
        try """
        listing_id,artist,title,label,catno,format,release_id,status,price,listed,comments,media_condition,sleeve_condition,accept_offer,external_id,weight,format_quantity,location,quantity
        1,A,T,L,C,LP,10,For Sale,12.50,2025-01-01 10:00:00,,Mint (M),Mint (M),Y,,,1,,1
        2,B,T,L,C,LP,11,For Sale,abc,2025-01-01 10:00:00,,Mint (M),Mint (M),Y,,,1,,1
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await run(["import", file.path])
        #expect(result.status == 1)
        #expect(result.stderr == "wax: bad.csv: line 3: price \"abc\" is not a number\n")
        #expect(result.stdout.contains("imported    1") && result.stdout.contains("errors      1"))
    }

    @Test func unreadableInputIsOneLine() async throws {
        let junk = home.file("junk.csv")
        try Data([0x00, 0x01, 0x02, 0xFF]).write(to: junk)
        let result = try await run(["import", junk.path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("not a CSV text file"))
        let empty = home.file("empty.csv")
        try Data().write(to: empty)
        #expect(try await run(["import", empty.path]).stderr.contains("the file is empty"))
        #expect(try await run(["import", home.file("absent.csv").path]).status == 1)
    }

    /// What is not a CSV file is named for what it is (a FIFO read as "permission denied", a
    /// symlink loop as "NSCocoaErrorDomain error 256"), and a field longer than any listing's
    /// is a bad row, never read whole (issue 24).
    @Test func importNamesWhatIsNotACSVFileAndRefusesAGiantField() async throws {
        let fifo = home.file("pipe.csv")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let loopA = home.file("a.csv"), loopB = home.file("b.csv")
        try FileManager.default.createSymbolicLink(atPath: loopA.path, withDestinationPath: loopB.path)
        try FileManager.default.createSymbolicLink(atPath: loopB.path, withDestinationPath: loopA.path)
        for (path, expected) in [(fifo.path, "wax: \(fifo.path) is a FIFO (named pipe), not a CSV file\n"),
                                 ("/dev/zero", "wax: /dev/zero is a character device, not a CSV file\n"),
                                 (loopA.path, "wax: cannot read \(loopA.path): Too many levels of symbolic links\n")] {
            let result = try await run(["import", path])
            #expect(result.status == 1 && result.stderr == expected, "\(path): \(result.stderr)")
        }
        let giant = home.file("giant.csv")
        let header = CSVImport.discogsColumns.joined(separator: ",")
        let row = "2,A,T,L,C,LP,10,For Sale,5.00,2025-01-01 10:00:00,,M,M,Y,,,1,,1"
        let comment = "\"" + String(repeating: "x", count: 2 << 20) + "\""
        try (header + "\n1,A,T,L,C,LP,10,For Sale,5.00,2025-01-01 10:00:00," + comment + ",M,M,Y,,,1,,1\n" + row + "\n")
            .write(to: giant, atomically: true, encoding: .utf8)
        let result = try await run(["import", giant.path])
        #expect(result.status == 1)
        #expect(result.stderr == "wax: giant.csv: line 2: column 11 is over 64 KB, longer than any listing's field: not read\n", "\(result.stderr)")
        #expect(result.stdout.contains("imported    1"), "the other row goes in: \(result.stdout)")
    }

    /// `--clear-db` with a file of a few rows would empty most of the mirror: it asks for
    /// `--yes` first (a valid 3-row file cut 2,000 listings to 3).
    @Test func clearingMostOfTheMirrorTakesYes() async throws {
        let big = home.file("big.csv")
        let header = CSVImport.discogsColumns.joined(separator: ",")
        try ([header] + (1...40).map { "\($0),A\($0),T,L,C,LP,10,For Sale,5.00,2025-01-01 10:00:00,,M,M,Y,,,1,,1" }).joined(separator: "\n")
            .write(to: big, atomically: true, encoding: .utf8)
        #expect(try await run(["import", big.path]).status == 0)
        let small = home.file("small.csv")
        try ([header] + (1...3).map { "\($0),A\($0),T,L,C,LP,10,For Sale,5.00,2025-01-01 10:00:00,,M,M,Y,,,1,,1" }).joined(separator: "\n")
            .write(to: small, atomically: true, encoding: .utf8)
        let refused = try await run(["import", "--clear-db", small.path])
        #expect(refused.status == 2)
        #expect(refused.stderr == "wax: --clear-db would leave 3 of the mirror's 40 listings (small.csv has 3 rows): add --yes if that is what you mean\n")
        #expect(try await run(["stats", "--json"]).stdout.contains("\"total_listings\": 40"))
        let confirmed = try await run(["import", "--clear-db", "--yes", small.path])
        #expect(confirmed.status == 0 && confirmed.stdout.contains("cleared 40 listings first"))
        #expect(try await run(["stats", "--json"]).stdout.contains("\"total_listings\": 3"))
    }

    @Test(.needsSharedData) func aFailedImportNeverEmptiesTheMirror() async throws {
        #expect(try await run(["import", SharedData.shopCSV.path]).status == 0)
        // Every row bad: nothing changes, even with --clear-db.
        let bad = home.file("bad.csv")
        try (CSVImport.discogsColumns.joined(separator: ",") + "\n1,A,T,L,C,LP,10,For Sale,abc,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n")
            .write(to: bad, atomically: true, encoding: .utf8)
        let failed = try await run(["import", "--clear-db", bad.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad.csv has no row to import (1 read, 1 bad): the mirror was not cleared"))
        // A header and nothing else: the same.
        let headerOnly = home.file("header.csv")
        try (CSVImport.discogsColumns.joined(separator: ",") + "\n").write(to: headerOnly, atomically: true, encoding: .utf8)
        let empty = try await run(["import", "--clear-db", headerOnly.path])
        #expect(empty.status == 1 && empty.stderr.contains("the mirror was not cleared"))
        let stats = try await run(["stats", "--json"])
        #expect(stats.stdout.contains("\"total_listings\": 520"))
        // A directory is said to be one.
        let directory = try await run(["import", home.url.path])
        #expect(directory.status == 1 && directory.stderr == "wax: \(home.url.path) is a directory, not a CSV file\n")
    }

    @Test(.needsSharedData) func aCatalogNumberTypedWithoutItsPunctuationIsFound() async throws {
        #expect(try await run(["import", SharedData.shopCSV.path]).status == 0)
        let found = try await run(["search", "--query", "aos009", "--json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["listing_id"] as? String } == ["3753081784"])
        // A listing id, as a scanner would type it.
        #expect(try await run(["search", "--query", "3753081784"]).stdout.contains("Omar-S"))
    }

    @Test(.needsSharedData) func changesAreAPullList() async throws {
        #expect(try await run(["import", SharedData.shopCSV.path]).status == 0)
        let inventory = try InventoryService.open(at: home.url.appendingPathComponent("data/wax/wax.db"))
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [3_753_081_784: "sold"], trigger: .test))
        let csv = try await run(["changes", "--since", "1d", "--kind", "removed", "--csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n")
        #expect(lines.first == "changed_at,change,field,listing_id,artist,title,location,old_value,new_value,user")
        #expect(lines.count == 2 && lines[1].contains(",removed,sold,3753081784,Omar-S,") && lines[1].contains(",D1.2,"), "\(lines)")
        let table = try await run(["changes", "--since", "2w"])
        #expect(table.stdout.contains("Omar-S – Here's Your Trance, Now Dance!!") && table.stdout.contains("1 changes since"))
        let bad = try await run(["changes", "--since", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--since \"soon\" is not a time"))
    }

    @Test func configurationMistakesExitTwo() async throws {
        let badURL = try await run(["stats"], env: ["DATABASE_URL": "postgresql://shop@db/wax"])
        #expect(badURL.status == 2)
        #expect(badURL.stderr.hasPrefix("wax: DATABASE_URL \"postgresql://shop@db/wax\" is not a SQLite location"))
        let badSort = try await run(["search", "--sort", "colour"])
        #expect(badSort.status == 2 && badSort.stderr.contains("unknown sort \"colour\""))
        let badInterval = try await run(["stats"], env: ["SYNC_INTERVAL_HOURS": "soon"])
        #expect(badInterval.status == 2)
        #expect(try await run(["search", "--json", "--csv"]).status != 0)
    }

    @Test func infoNamesPathsButNeverTheToken() async throws {
        let token = "tok-\(UUID().uuidString)"
        let result = try await run(["info"], env: ["DISCOGS_TOKEN": token, "DISCOGS_SELLER_USERNAME": "freakinbeats", "WAX_LOG_LEVEL": "trace"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("DISCOGS_TOKEN              set (environment)"))
        #expect(result.stdout.contains("DISCOGS_SELLER_USERNAME    freakinbeats (environment)"))
        #expect(result.stdout.contains(home.url.appendingPathComponent("data/wax/wax.db").path))
        #expect(result.stdout.contains(home.url.appendingPathComponent("state/wax/wax.log").path))
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
        _ = try await run(["stats"], env: ["DISCOGS_TOKEN": token, "WAX_LOG_LEVEL": "trace"])
        let log = (try? String(contentsOf: home.url.appendingPathComponent("state/wax/wax.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains(token))
    }

    @Test func infoRedactsCredentialsAndShowsDefaults() async throws {
        let result = try await run(["info"], env: ["DISCOGS_API_URL": "https://shop:hunter2@api.example.com/v2"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("hunter2") && !result.stdout.contains("shop:"))
        #expect(result.stdout.contains("DISCOGS_API_URL            https://api.example.com/v2 (environment)"))
        // Defaults in effect are shown as such, not as "not set".
        #expect(result.stdout.contains("SYNC_INTERVAL_HOURS        1.0 (default)"))
        #expect(result.stdout.contains("DISCOGS_INVENTORY_STATUS   For Sale (default)"))
        #expect(result.stdout.contains("DATABASE_URL               \(home.url.appendingPathComponent("data/wax/wax.db").path) (default)"))
        #expect(result.stdout.contains("DISCOGS_TOKEN              not set"))
    }

    @Test func aMirrorOthersCanReadIsWarnedAbout() async throws {
        #expect(try await run(["stats"]).stderr.isEmpty)
        let db = home.url.appendingPathComponent("data/wax/wax.db")
        #expect(((try FileManager.default.attributesOfItem(atPath: db.path))[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        chmod(db.path, 0o644)
        let warned = try await run(["stats"])
        #expect(warned.status == 0)
        #expect(warned.stderr == "wax: warning: the mirror \(db.path) is readable by every user of this machine: run chmod o-rwx \(db.path)\n")
    }

    /// The README's way to try the CSV migration without ../shared/data: the fake writes a shop
    /// as Discogs' inventory export, and wax imports every row of it.
    @Test func aCloneWithoutTheSharedDataMakesAShopToImportWithTheFake() async throws {
        let csv = home.file("shop.csv")
        let written = try await Subprocess.run(Subprocess.builtExecutable("fake-discogs"), ["--listings", "40", "--write-export", csv.path],
                                               environment: Subprocess.isolatedEnvironment(home: home.url))
        #expect(written.status == 0 && written.stderr == "fake-discogs: wrote 40 listings to \(csv.path)\n", "\(written.stderr)")
        let imported = try await run(["import", csv.path, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"imported\": 40") && imported.stdout.contains("\"errors\": 0"), "\(imported.stdout)")
    }

    @Test func usageMistakesAreExitTwoAndOneLine() async throws {
        let cases: [([String], String)] = [
            (["import"], "wax: give the CSV file: wax import PATH (see wax import --help)\n"),
            (["show", "abc"], "wax: The value 'abc' is invalid for '<listing-id>' (see wax show --help)\n"),
            (["search", "--qeury", "x"], "wax: Unknown option '--qeury'. Did you mean '--query'? (see wax search --help)\n"),
            (["serch", "love"], "wax: unknown command \"serch\" (did you mean search?)\n"),
            (["frobnicate"], "wax: unknown command \"frobnicate\" (see wax --help)\n"),
            (["orders", "pick"], "wax: unknown command \"pick\" of wax orders (did you mean orders pick-list?)\n"),
            (["outbox", "sen"], "wax: unknown command \"sen\" of wax outbox (did you mean outbox send?)\n"),
            (["orders", "show"], "wax: Missing expected argument '<id>' (see wax orders show --help)\n"),
            // A negative number reads to the parser as an option: say what the value must be.
            (["search", "--limit", "-1"], "wax: --limit must be 0 or more (you gave -1) (see wax search --help)\n"),
            (["price", "3600000005", "-3"], "wax: a price must be a positive number, like 12.50 (you gave -3) (see wax price --help)\n"),
            // An unknown listing is a usage mistake wherever it is named (the README says 2).
            (["show", "123"], "wax: no listing 123 in the mirror\n"),
        ]
        for (arguments, expected) in cases {
            let result = try await run(arguments)
            #expect(result.status == 2 && result.stderr == expected && result.stdout.isEmpty, "\(arguments): \(result.status) \(result.stderr)")
        }
        // Help and the version are not mistakes.
        #expect(try await run(["import", "--help"]).status == 0)
        #expect(try await run(["--version"]).stdout == "0.1.0\n")
    }

    @Test func theInstalledManPageListsEveryCommandAndOption() async throws {
        // deploy/wax.1 is generated from the help (see deploy/install.sh) and committed: a
        // command or option added since must make it regenerate.
        let manual = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("deploy/wax.1"), encoding: .utf8)
        let dump = try await run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        func visit(_ command: [String: Any]) {
            let name = command["commandName"] as? String ?? "?"
            if name != "wax" && name != "help" {
                #expect(manual.contains(".It Em \(name)"), "deploy/wax.1 lacks the command \(name): regenerate it")
            }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                for case let option as [String: String] in argument["names"] as? [Any] ?? [] where option["kind"] == "long" {
                    let long = option["name"]!
                    #expect(manual.contains("Fl -\(long)") || manual.contains(" , -\(long)"), "deploy/wax.1 lacks --\(long) of \(name): regenerate it")
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { visit(sub) }
        }
        visit(try #require(root["command"] as? [String: Any]))
    }

    /// The man page's ENVIRONMENT, FILES and EXIT STATUS are the settings and exit statuses as
    /// declared (deploy/make-manual.sh splices them in), and mdoc reads the page without a
    /// warning (it warned of an empty line, and broke the exit codes mid-sentence).
    @Test func theManPageHasTheEnvironmentFilesAndExitStatusAsDeclared() async throws {
        let manual = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("deploy/wax.1"), encoding: .utf8)
        let sections = try await run(["info", "--manual-sections"])
        #expect(sections.status == 0)
        #expect(manual.hasSuffix(sections.stdout), "deploy/wax.1 does not end with `wax info --manual-sections`: run deploy/make-manual.sh")
        for key in ["DISCOGS_TOKEN", "DATABASE_URL", "ORDERS_POLL_MINUTES"] { #expect(sections.stdout.contains(".It Ev \(key)\n")) }
        #expect(sections.stdout.contains(".It 5\n"))
        #expect(!manual.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains(""), "an empty line (mdoc warns)")
        #expect(!manual.contains("EXIT CODES"), "the help's exit-code block reads as one broken paragraph in mdoc")
        for man in ["/usr/bin/man"] where FileManager.default.isExecutableFile(atPath: man) {
            let read = try await Subprocess.run(URL(fileURLWithPath: man), ["-l", SharedData.packageRoot.appendingPathComponent("deploy/wax.1").path],
                                                environment: ["MANWIDTH": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MANPAGER": "cat"])
            #expect(read.stderr.isEmpty, "man -l warns: \(read.stderr)")
            #expect(read.stdout.contains("ENVIRONMENT") && read.stdout.contains("EXIT STATUS"))
        }
    }

    @Test func helpDocumentsTheExitCodes() async throws {
        let help = try await run(["--help"])
        #expect(help.status == 0)
        for code in ["0  success", "1  failure", "2  usage or configuration error", "3  another wax process", "4  Discogs rejected the token",
                     "5  an action is queued"] {
            #expect(help.stdout.contains(code), "\(code)")
        }
    }
}
