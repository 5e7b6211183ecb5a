import Foundation
import Testing
import WaxTestSupport

/// `deploy/install.sh` as a new admin runs it on a Debian that lacks a system package: it says
/// which, and how to install it, before a build of many minutes that would end in `cannot find
/// -lcurl` (issue 22).
@Suite struct InstallTests {
    let home = TemporaryDirectory()

    /// A `dpkg-query` that reports `absent` as not installed and everything else as installed.
    func fakeDpkg(missing absent: [String]) throws -> URL {
        let bin = home.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let cases = absent.map { "\"\($0)\") exit 1 ;;" }.joined(separator: "\n    ")
        let script = """
            #!/bin/sh
            # The last argument is the package asked about.
            for last in "$@"; do :; done
            case "$last" in
                \(cases)
            esac
            printf 'install ok installed'
            """
        let file = bin.appendingPathComponent("dpkg-query")
        try script.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o755)
        return bin
    }

    func install(missing: [String]) async throws -> (Subprocess.Result, seconds: TimeInterval) {
        let bin = try fakeDpkg(missing: missing)
        let started = Date()
        let result = try await Subprocess.run(URL(fileURLWithPath: "/bin/sh"), [SharedData.packageRoot.appendingPathComponent("deploy/install.sh").path],
                                              environment: ["PATH": "\(bin.path):/usr/bin:/bin", "PREFIX": home.file("prefix").path,
                                                            "HOME": home.url.path])
        return (result, Date().timeIntervalSince(started))
    }

    @Test func aMissingSystemPackageIsNamedWithItsInstallLineBeforeAnyBuild() async throws {
        let (result, seconds) = try await install(missing: ["libcurl4-openssl-dev"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr == "install.sh: missing system packages: libcurl4-openssl-dev; install them first: sudo apt-get install libcurl4-openssl-dev\n")
        #expect(!result.stdout.contains("building"), "it must not start the build: \(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: home.file("prefix").path), "nothing installed")
        #expect(seconds < 60)
    }

    @Test func everyMissingPackageIsNamedAndEitherNcursesPackageWillDo() async throws {
        let (result, _) = try await install(missing: ["libsqlite3-dev", "libcurl4-openssl-dev", "libncursesw5-dev"])
        #expect(result.status == 2)
        // libncurses-dev (the fake says it is installed) stands for the old name.
        #expect(result.stderr.contains("missing system packages: libsqlite3-dev libcurl4-openssl-dev;"), "\(result.stderr)")
        let (both, _) = try await install(missing: ["libncursesw5-dev", "libncurses-dev"])
        #expect(both.stderr.contains("sudo apt-get install libncursesw5-dev\n"), "\(both.stderr)")
    }
}
