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

    @Test func theQuickStartIsTwoCommands() throws {
        let section = try #require(readme.components(separatedBy: "## Quick start").dropFirst().first?.components(separatedBy: "\n## ").first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").filter { !$0.isEmpty }
        #expect(commands.count == 2)
        #expect(commands.last?.hasPrefix("swift test") == true)
    }
}
