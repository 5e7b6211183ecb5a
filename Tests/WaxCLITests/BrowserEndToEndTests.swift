import FakeDiscogs
import Foundation
import Testing
import WaxStore
import WaxTestSupport
import WaxTestTraits

/// The real `wax` binary in tmux, used as staff would use it.
@Suite(.enabled(if: Tmux.available, "skipped: tmux is not installed (apt install tmux)"))
struct BrowserEndToEndTests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        Subprocess.isolatedEnvironment(home: home.url, extra: ["TERM": "xterm-256color", "ENABLE_AUTO_SYNC": "false"].merging(extra) { _, new in new })
    }

    @Test(.needsSharedData) func searchDetailHelpResizeAndQuit() async throws {
        let imported = try await Subprocess.run(wax, ["import", SharedData.shopCSV.path], environment: environment())
        #expect(imported.status == 0)
        let tmux = try await Tmux([wax.path], environment: environment(), columns: 120, rows: 35)
        try await withCleanup({ await tmux.stop() }) { () async throws in
            try await tmux.waitFor("showing 520 of 520")
            try await tmux.send("/")
            try await tmux.type("bjork")
            try await tmux.waitFor("showing 1 of 520", "Björk", "Alarm Call")
            try await tmux.send("Enter", "Enter")                    // keep the search, open the detail
            // "Discogs" is a detail label only; the list has no such column.
            try await tmux.waitFor("https://www.discogs.com/sell/item/3749023570", "Listing    3749023570")
            try await tmux.send("Escape", "Escape")                  // back to the list, then clear the search
            try await tmux.waitFor("showing 520 of 520")
            try await tmux.send("?")
            try await tmux.waitFor("wax — keys", "Search as you type")
            try await tmux.send("Escape")
            try await tmux.resize(columns: 80, rows: 24)
            try await tmux.waitUntil("the list at 80 columns, its first line the count") { screen in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return screen.contains("sort: posted ↓") && lines.allSatisfy { $0.count <= 80 }
                    && lines.first?.contains("showing 520 of 520") == true
            }
            try await tmux.send("q")
            #expect(try await tmux.exitStatus() == 0)
            // The terminal is restored: the alternate screen is gone, no curses remains on it.
            let screen = try await tmux.screen()
            #expect(!screen.contains("showing 520"))
        }
    }

    @Test func aSyncShowsProgressAndChangesTheList() async throws {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: 31, listings: 600)
        configuration.latency = 0.05                            // slow enough to see the pages go by
        configuration.rateLimit = 10_000
        let server = FakeDiscogsServer(configuration: configuration)
        let url = try await server.start()
        try await withCleanup({ await server.stop() }) { () async throws in
            let env = environment(["DISCOGS_API_URL": url.absoluteString, "DISCOGS_TOKEN": configuration.ownerToken,
                                   "DISCOGS_SELLER_USERNAME": configuration.seller])
            let tmux = try await Tmux([wax.path], environment: env, columns: 120, rows: 35)
            try await withCleanup({ await tmux.stop() }) { () async throws in
                try await tmux.waitFor("The mirror is empty")
                try await tmux.send("s")
                try await tmux.waitUntil("sync progress in the status bar") { screen in
                    screen.contains("⟳") && ["page", "reading", "starting"].contains { screen.contains($0) }
                }
                try await tmux.waitFor("showing 600 of 600", timeout: 300)
                try await tmux.waitFor("last sync just now", timeout: 300)
                server.sell(server.liveListings()[0].id)
                try await tmux.send("s")
                try await tmux.waitFor("showing 599 of 599", timeout: 300)
                try await tmux.waitFor("−1", timeout: 300)
                try await tmux.send("c")
                try await tmux.waitFor("− sold")
                try await tmux.send("Escape", "q")
                #expect(try await tmux.exitStatus() == 0)
            }
        }
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalRestoresTheTerminalAndStopsCleanly(signal: Int32) async throws {
        let tmux = try await Tmux([wax.path], environment: environment(), columns: 100, rows: 30)
        try await withCleanup({ await tmux.stop() }) { () async throws in
            try await tmux.waitFor("The mirror is empty")
            let pid = try #require(try await tmux.pid())
            kill(pid, signal)
            let status = try await tmux.exitStatus(timeout: 120)
            #expect(status == 0, "exit status \(status.map(String.init) ?? "none after 120 s")")
            let after = try await tmux.screen()
            #expect(!after.contains("The mirror is empty"))
            let log = (try? String(contentsOf: home.url.appendingPathComponent("state/wax/wax.log"), encoding: .utf8)) ?? ""
            #expect(log.contains("browser closed by signal \(signal)"))
        }
    }

    @Test(.needsSharedData) func homeEndCopyAndRepaintAsTerminalsSendThem() async throws {
        #expect(try await Subprocess.run(wax, ["import", SharedData.shopCSV.path], environment: environment()).status == 0)
        let tmux = try await Tmux([wax.path], environment: environment(), columns: 100, rows: 30)
        try await withCleanup({ await tmux.stop() }) { () async throws in
            try await tmux.waitFor("showing 520 of 520 · row 1")
            // tmux sends Home and End as ESC[1~ and ESC[4~, which xterm's terminfo doesn't list:
            // they read as Esc and three characters until wax defines them.
            try await tmux.send("End")
            try await tmux.waitFor("showing 520 of 520 · row 520")
            try await tmux.send("Home")
            try await tmux.waitFor("showing 520 of 520 · row 1")
            try await tmux.send("y")
            try await tmux.waitFor("copied https://www.discogs.com/sell/item/")
            try await tmux.send("C-l")
            // The message stays until the next key only; the repainted screen is whole.
            try await tmux.waitUntil("the repainted screen, without the message") { screen in
                !screen.contains("copied") && screen.contains("showing 520 of 520 · row 1") && screen.contains("? help")
            }
            try await tmux.send("q")
            #expect(try await tmux.exitStatus() == 0)
        }
    }

    @Test(.needsSharedData) func theLastViewComesBackAfterARestart() async throws {
        #expect(try await Subprocess.run(wax, ["import", SharedData.shopCSV.path], environment: environment()).status == 0)
        let first = try await Tmux([wax.path], environment: environment(), columns: 100, rows: 30)
        try await first.waitFor("showing 520 of 520")
        try await first.send("/")
        try await first.type("beenie")
        try await first.waitFor("showing 2 of 520")
        try await first.send("Enter", "o", "q")
        #expect(try await first.exitStatus() == 0)
        await first.stop()
        let second = try await Tmux([wax.path], environment: environment(), columns: 100, rows: 30)
        try await withCleanup({ await second.stop() }) { () async throws in
            try await second.waitFor("showing 2 of 520", "/beenie", "sort: price ↑")
            try await second.send("q")
            #expect(try await second.exitStatus() == 0)
        }
    }

    @Test(.needsSharedData) func withoutColoursTheSelectionIsReverseVideo() async throws {
        #expect(try await Subprocess.run(wax, ["import", SharedData.shopCSV.path], environment: environment()).status == 0)
        let tmux = try await Tmux([wax.path], environment: environment(["TERM": "vt100"]), columns: 100, rows: 30)
        try await withCleanup({ await tmux.stop() }) { () async throws in
            try await tmux.waitFor("showing 520 of 520")
            let styled = try await tmux.styledScreen()
            let selectedRow = try #require(styled.split(separator: "\n").dropFirst(2).first)
            #expect(selectedRow.contains("\u{1B}[7m") || selectedRow.contains(";7m") || selectedRow.contains("[7;"), "\(selectedRow.debugDescription)")
            try await tmux.send("q")
            #expect(try await tmux.exitStatus() == 0)
        }
    }

    @Test func aTerminalThatCannotMoveTheCursorIsOneLineAndExitTwo() async throws {
        let result = try await Subprocess.run(wax, [], environment: environment(["TERM": "dumb"]))
        #expect(result.status == 2)
        #expect(result.stderr == "wax: the terminal \"dumb\" (TERM) cannot move the cursor: wax needs a full-screen terminal, e.g. TERM=xterm-256color\n")
    }

    @Test func anUnknownTerminalIsOneLineAndExitTwo() async throws {
        let result = try await Subprocess.run(wax, [], environment: environment(["TERM": "no-such-terminal-9000"]))
        #expect(result.status == 2)
        #expect(result.stderr == "wax: unknown terminal type \"no-such-terminal-9000\" (TERM): set TERM to one this machine knows, e.g. xterm-256color\n")
    }

    /// `wax < /dev/null`, `echo | wax`, `wax > file`: no terminal, so one line and exit 2 at
    /// once (it drew escape codes into the pipe and spun at a full core for ten minutes).
    @Test(arguments: [[], ["demo"]]) func withoutATerminalTheBrowserSaysSoAndExitsTwo(arguments: [String]) async throws {
        let started = Date()
        let result = try await Subprocess.run(wax, arguments, environment: environment(), timeout: 120)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr == "wax: the browser needs a terminal, and standard input is not one: run wax from a terminal (wax search, wax show and --json are for scripts)\n")
        #expect(result.stdout.isEmpty, "nothing drawn into the pipe: \(result.stdout.debugDescription)")
        #expect(Date().timeIntervalSince(started) < 100, "it ended on its own, not at the test's deadline")
    }

    /// The ssh session drops: the pty closes under the browser. With the kernel's SIGHUP
    /// (wax the terminal's own) or without it (`setsid`: reads just return nothing and poll
    /// says the terminal hung up), the browser ends instead of spinning on empty reads.
    @Test(arguments: [false, true]) func theBrowserEndsWhenItsTerminalGoesAway(withoutSignal: Bool) async throws {
        let command = withoutSignal ? ["/usr/bin/setsid", wax.path] : [wax.path]
        let tmux = try await Tmux(command, environment: environment(), columns: 100, rows: 30)
        try await tmux.waitFor("The mirror is empty")
        let pid = try #require(try await tmux.pid())
        await tmux.stop()     // the terminal is gone: tmux closes the pty
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, Self.isRunning(pid) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!Self.isRunning(pid), "wax \(pid) is still running (state \(Self.state(pid) ?? "?")) two minutes after its terminal went away")
    }

    /// Esc goes back where staff came from: `P`, Enter, Esc lands in the pick list (it landed
    /// in the orders view); `c`, Enter, Esc in the changes (it landed in the main list).
    @Test func escGoesBackToThePickListAndTheChanges() async throws {
        let server = try await startedFake { $0.inventory = .generated(seed: 77, listings: 40) }
        try await withCleanup({ await server.stop() }) { () async throws in
            let env = environment(["DISCOGS_API_URL": server.baseURL.absoluteString, "DISCOGS_TOKEN": server.configuration.ownerToken,
                                   "DISCOGS_SELLER_USERNAME": server.configuration.seller])
            #expect(try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env).status == 0)
            let order = try #require(server.buy([server.liveListings()[5].id], buyer: "vinyl_fan"))
            let sync = try await Subprocess.run(wax, ["sync", "--quiet"], environment: env)
            #expect(sync.status == 0, "\(sync.stderr)")
            let tmux = try await Tmux([wax.path], environment: env, columns: 100, rows: 30)
            try await withCleanup({ await tmux.stop() }) { () async throws in
                try await tmux.waitFor("showing 39 of 39")
                try await tmux.send("P")
                try await tmux.waitFor("Pick list: 1 item")
                try await tmux.send("Enter")
                try await tmux.waitFor("Order \(order) (t: status")
                try await tmux.send("Escape")
                try await tmux.waitFor("Pick list: 1 item")
                try await tmux.send("Escape", "c")
                try await tmux.waitFor("sold on Discogs, order \(order)")
                try await tmux.send("Enter")
                try await tmux.waitFor("Listing   ")
                try await tmux.send("Escape")
                try await tmux.waitFor("Changes: what recent syncs", "sold on Discogs, order \(order)")
                try await tmux.send("Escape", "q")
                #expect(try await tmux.exitStatus() == 0)
            }
        }
    }

    /// A process's state letter from /proc (R, S, Z…), nil once it is gone.
    static func state(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].dropFirst().first
    }

    /// Alive: not gone and not a zombie waiting to be reaped.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let state = state(pid) else { return false }
        return state != "Z" && state != "X"
    }

    @Test func theDemoRunsWithNoTokenAndCleansUp() async throws {
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("wax-demo-") }
        let tmux = try await Tmux([wax.path, "demo", "--listings", "400"], environment: environment(["ENABLE_AUTO_SYNC": "true"]), columns: 120, rows: 35)
        try await withCleanup({ await tmux.stop() }) { () async throws in
            try await tmux.waitFor("showing 400 of 400", timeout: 300)
            try await tmux.waitFor("last sync just now", timeout: 300)
            try await tmux.send("f", "l")
            try await tmux.waitFor("[2 Genre]", "Electronic")       // genres arrived with release details
            try await tmux.send("Escape", "q")
            #expect(try await tmux.exitStatus() == 0)
            let after = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("wax-demo-") }
            #expect(after.subtracting(before).isEmpty, "left behind: \(after.subtracting(before))")
            // "Nothing kept": not even a log in the user's state folder.
            #expect(!FileManager.default.fileExists(atPath: home.url.appendingPathComponent("state/wax/wax.log").path))
        }
    }
}
