import Foundation
import Testing
import WaxStore
import WaxTestSupport

/// The mirror on a read-only filesystem and on a full disk: reads go on, writes say why not.
/// Each case runs `wax` inside a private mount namespace (`unshare -rm`) on a small tmpfs, so
/// no privilege is needed and nothing outside the test is touched.
@Suite struct DiskTests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    static func canMount() async -> Bool {
        let probe = try? await Subprocess.run(URL(fileURLWithPath: "/usr/bin/unshare"), ["-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt && umount /mnt"],
                                             environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"], timeout: 120)
        return probe?.status == 0
    }

    /// Runs `script` in its own mount namespace; `$WAX` is the binary, `$DB` the mirror.
    func inNamespace(_ script: String, db: URL) async throws -> Subprocess.Result {
        var env = Subprocess.isolatedEnvironment(home: home.url)
        env["WAX"] = wax.path
        env["DB"] = db.path
        env["CSV"] = home.file("shop.csv").path
        env["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin"
        return try await Subprocess.run(URL(fileURLWithPath: "/usr/bin/unshare"), ["-rm", "sh", "-c", script], environment: env)
    }

    func makeMirror() async throws -> URL {
        let csv = home.file("shop.csv")
        var lines = [CSVImport.discogsColumns.joined(separator: ",")]
        for i in 1...40 {
            lines.append("\(i),Artist \(i),Love Song \(i),Label,CAT\(i),LP,\(1000 + i),For Sale,\(i).50,2025-01-01 10:00:00,,Mint (M),Mint (M),Y,,,1,A\(i),1")
        }
        try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let db = home.file("made/wax.db")
        let made = try await Subprocess.run(wax, ["import", csv.path], environment: Subprocess.isolatedEnvironment(home: home.url, extra: ["DATABASE_URL": db.path]))
        #expect(made.status == 0, "\(made.stderr)")
        return db
    }

    @Test(.enabled("skipped: needs unshare(1) with user and mount namespaces to mount a small tmpfs") { await DiskTests.canMount() })
    func aReadOnlyFilesystemStillAnswersReads() async throws {
        let db = try await makeMirror()
        let mount = home.file("ro")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let result = try await inNamespace("""
            set -e
            mount -t tmpfs -o size=20m tmpfs '\(mount.path)'
            cp "$DB" '\(mount.path)/wax.db'
            mount -o remount,ro '\(mount.path)'
            export DATABASE_URL='\(mount.path)/wax.db'
            echo "search:$("$WAX" search --query love --json | grep -c listing_id)"
            "$WAX" import "$CSV" 2>&1 || echo "import exit $?"
            """, db: db)
        #expect(result.stdout.contains("search:40"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("wax: the mirror at \(mount.path)/wax.db is open for reading only (its filesystem or file is read-only): nothing was written"),
                "\(result.stdout)")
        #expect(result.stdout.contains("import exit 1"))
    }

    @Test(.enabled("skipped: needs unshare(1) with user and mount namespaces to mount a small tmpfs") { await DiskTests.canMount() })
    func aFullDiskStillAnswersReads() async throws {
        let db = try await makeMirror()
        let mount = home.file("full")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let result = try await inNamespace("""
            set -e
            mount -t tmpfs -o size=1m tmpfs '\(mount.path)'
            cp "$DB" '\(mount.path)/wax.db'
            dd if=/dev/zero of='\(mount.path)/fill' bs=4k 2>/dev/null || true
            export DATABASE_URL='\(mount.path)/wax.db'
            echo "stats:$("$WAX" stats --json | grep total_listings)"
            "$WAX" import "$CSV" 2>&1 || echo "import exit $?"
            """, db: db)
        #expect(result.stdout.contains("stats:  \"total_listings\": 40"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("is open for reading only (its disk is full): nothing was written"), "\(result.stdout)")
        #expect(result.stdout.contains("import exit 1"))
    }
}
