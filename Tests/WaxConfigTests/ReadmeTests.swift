import Foundation
import Testing
import WaxConfig
import WaxTestSupport

/// The README is part of the interface: what it documents must exist, and what exists must be
/// documented.
@Suite struct ReadmeTests {
    let readme = (try? String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    @Test func everySettingIsDocumented() {
        for key in Settings.Key.allCases {
            #expect(readme.contains("| `\(key.rawValue)` |"), "README's configuration table lacks \(key.rawValue)")
        }
    }

    /// Two commands on a fresh machine (after the packages): the demo, and every test, which
    /// is what CI runs.
    @Test func theQuickStartIsTwoCommands() throws {
        let section = try #require(readme.components(separatedBy: "## Quick start").dropFirst().first?.components(separatedBy: "\n## ").first)
        let blocks = section.components(separatedBy: "```sh\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        let block = try #require(blocks.first { $0.contains("wax demo") })
        let commands = block.split(separator: "\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces) }
        #expect(commands == ["swift run wax demo", "Tests/run"])
        let ci = try String(contentsOf: SharedData.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.split(separator: "\n").contains("Tests/run"), "CI runs the README's test command")
        // The system packages, as a command to run, name what the install checks.
        let install = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("deploy/install.sh"), encoding: .utf8)
        let line = try #require(section.split(separator: "\n").first { $0.hasPrefix("sudo apt-get install") })
        for package in ["libncursesw5-dev", "libsqlite3-dev", "libcurl4-openssl-dev"] {
            #expect(line.contains(package) && install.contains(package), "\(package)")
        }
    }
}
