import FakeDiscogs
import Foundation
import Testing
import WaxStore
import WaxTestSupport

/// `wax add` and `wax labels` as staff and scripts run them, against the fake Discogs (issue 19).
@Suite struct IntakeCLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")
    static let listings = 125     // 100 releases: pressings 6 and 7 share a barcode

    func fake() async throws -> FakeDiscogsServer {
        try await startedFake { $0.inventory = .generated(seed: 23, listings: Self.listings) }
    }

    func env(_ server: FakeDiscogsServer, token: String? = "fake-owner-token", extra: [String: String] = [:]) -> [String: String] {
        fakeEnvironment(server, home: home.url, token: token, extra: extra)
    }

    func synced(_ server: FakeDiscogsServer) async throws {
        let sync = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
        try #require(sync.status == 0, "\(sync.stderr)")
    }

    func release(_ server: FakeDiscogsServer, _ index: Int) throws -> FakeRelease {
        try #require(server.release(id: ShopGenerator.firstReleaseID + Int64(index)))
    }

    func creates(_ server: FakeDiscogsServer) -> [FakeWrite] { server.stats.writes.filter { $0.method == "CREATE" } }

    @Test func aScannedBarcodeIsListedConfirmedAndItsStickerPrinted() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            try await synced(server)
            let pressing = try release(server, 6)
            let barcode = try #require(pressing.barcode)
            // Two pressings share that barcode: listed, nothing guessed, nothing made.
            let ambiguous = try await Subprocess.run(wax, ["add", barcode, "--media", "VG+"], environment: env(server))
            #expect(ambiguous.status == 1)
            #expect(ambiguous.stderr.contains("2 pressings match barcode") && ambiguous.stderr.contains("r\(pressing.id)")
                    && ambiguous.stderr.contains("r\(pressing.id + 1)"), "\(ambiguous.stderr)")
            #expect(creates(server).isEmpty)

            let added = try await Subprocess.run(wax, ["add", barcode, "--pick", "1", "--media", "vg+", "--sleeve", "gen", "--bin", "IN-3",
                                                       "--wait", "300"], environment: env(server))
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("listed at") && added.stdout.contains("confirmed on Discogs"), "\(added.stdout)")
            let made = try #require(creates(server).first)
            let listing = try #require(server.allListings().first { $0.listing.id == made.listingID }).listing
            #expect(listing.releaseID == pressing.id && listing.condition == "Very Good Plus (VG+)" && listing.sleeveCondition == "Generic")
            #expect(listing.location == "IN-3" && listing.externalID.contains("[wax-"))
            // Discogs' suggestion, rounded to 0.50 (the default).
            #expect((listing.price * 2).rounded() == listing.price * 2)

            let shown = try await Subprocess.run(wax, ["show", String(listing.id)], environment: env(server))
            #expect(shown.status == 0 && shown.stdout.contains(pressing.title), "\(shown.stderr)")

            let text = try await Subprocess.run(wax, ["labels", "--format", "text"], environment: env(server))
            #expect(text.status == 0 && text.stdout.contains("[\(listing.id)]") && text.stdout.contains("VG+/gen") && text.stdout.contains("bin IN-3"),
                    "\(text.stdout)\(text.stderr)")
            let zplFile = home.file("labels.zpl")
            let zpl = try await Subprocess.run(wax, ["labels", "--format", "zpl", "--output", zplFile.path], environment: env(server))
            #expect(zpl.status == 0, "\(zpl.stderr)")
            let written = try String(contentsOf: zplFile, encoding: .utf8)
            #expect(written.hasPrefix("^XA") && written.contains("^BCN") && written.contains("^FD\(listing.id)^FS"))
            let again = try await Subprocess.run(wax, ["labels"], environment: env(server))
            #expect(again.stdout.hasPrefix("no stickers to print"), "printed ones are marked: \(again.stdout)")
            let pdfFile = home.file("sheet.pdf")
            let pdf = try await Subprocess.run(wax, ["labels", "--since", "1d", "--format", "pdf", "--output", pdfFile.path], environment: env(server))
            #expect(pdf.status == 0, "\(pdf.stderr)")
            let bytes = try Data(contentsOf: pdfFile)
            #expect(bytes.starts(with: Data("%PDF-1.4".utf8)) && String(decoding: bytes.suffix(6), as: UTF8.self) == "%%EOF\n")
        }
    }

    @Test func aPaperListIsDryRunThenListedRowByRow() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            try await synced(server)
            let shared = try #require(try release(server, 6).barcode)
            let byID = try release(server, 20)
            let byCatno = try release(server, 31)
            let csv = home.file("stack.csv")
            try """
            barcode,release_id,catno,media,sleeve,price,bin,comments
            ,\(byID.id),,NM,VG+,12.50,B1,first
            ,,\(byCatno.labels[0].catalogNumber),VG,,suggested,B2,
            \(shared),,,VG,VG,9,B3,
            0000000000017,,,VG,VG,9,B4,
            ,\(byID.id),,Excellent,VG,9,B5,
            ,\(byID.id),,VG,VG,20000,B6,
            """.write(to: csv, atomically: true, encoding: .utf8)
            let dry = try await Subprocess.run(wax, ["add", "--csv", csv.path, "--dry-run"], environment: env(server))
            #expect(dry.status == 1)
            #expect(dry.stdout.contains("line 2: would list r\(byID.id)") && dry.stdout.contains("line 3: would list r\(byCatno.id)"), "\(dry.stdout)")
            #expect(dry.stderr.contains("line 4: 2 pressings match barcode"), "\(dry.stderr)")
            #expect(dry.stderr.contains("line 5: no release has barcode 0000000000017"))
            #expect(dry.stderr.contains("line 6: media grade \"Excellent\" is not one of M, NM, VG+"))
            #expect(dry.stdout.contains("3 would be listed, 3 skipped (nothing was sent)"), "\(dry.stdout)")
            #expect(creates(server).isEmpty)

            let real = try await Subprocess.run(wax, ["add", "--csv", csv.path, "--wait", "300"], environment: env(server))
            #expect(real.status == 1, "skipped rows make it a failure")
            #expect(real.stderr.contains("line 7:") && real.stderr.contains("10000"), "the shop's limit refuses the price: \(real.stderr)")
            #expect(real.stdout.contains("2 listed, 0 waiting, 0 failed, 4 skipped"), "\(real.stdout)")
            #expect(creates(server).count == 2)
            #expect(Set(creates(server).compactMap { $0.after?.location }) == ["B1", "B2"])
        }
    }

    @Test func withoutTheTokenIntakeSaysWhatItNeeds() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            try await synced(server)
            let result = try await Subprocess.run(wax, ["add", "r\(ShopGenerator.firstReleaseID)", "--media", "VG"], environment: env(server, token: nil))
            #expect(result.status == 2)
            #expect(result.stderr.contains("DISCOGS_TOKEN") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    /// `kill -9` between the POST and Discogs' answer: the next sender finds the listing by its
    /// marker and adopts it; Discogs holds one listing, not two.
    @Test func killedBetweenThePostAndItsAnswerMakesOneListing() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            try await synced(server)
            server.setFaults { $0.hangAfterWrites = 1 }
            let adding = try Subprocess.start(wax, ["add", "r\(ShopGenerator.firstReleaseID + 40)", "--media", "NM", "--price", "15", "--wait", "300"],
                                              environment: env(server))
            let deadline = Date().addingTimeInterval(300)
            while creates(server).isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try #require(creates(server).count == 1)
            adding.signal(SIGKILL)
            _ = try await adding.wait()
            let send = try await Subprocess.run(wax, ["outbox", "send"], environment: env(server))
            #expect(send.status == 0, "\(send.stderr)")
            #expect(creates(server).count == 1, "the marker was found: no second listing")
            let outbox = try await Subprocess.run(wax, ["outbox", "--json"], environment: env(server))
            let actions = try #require(try JSONSerialization.jsonObject(with: Data(outbox.stdout.utf8)) as? [[String: Any]])
            #expect(actions.first?["state"] as? String == "confirmed")
            #expect(actions.first?["listing_id"] as? String == String(creates(server)[0].listingID), "\(actions)")
        }
    }
}
