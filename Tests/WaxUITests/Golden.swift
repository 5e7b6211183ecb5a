import Foundation
import Testing
import WaxUI
import WaxTestSupport

/// Golden screens: the rendered grid against committed files, its text (`NAME-WxH.txt`) and the
/// style role of every cell (`NAME-WxH.roles.txt`, a letter per cell: the selected row, errors,
/// dim text are part of what a screen says). Set WAX_UPDATE_GOLDEN=1 to write the files after
/// checking the new screens by eye.
enum Golden {
    static let directory = SharedData.packageRoot.appendingPathComponent("Tests/WaxUITests/Golden")

    /// One letter per role; normal text is a space, so a roles file reads like the screen.
    static let letters: [StyleRole: Character] = [
        .normal: " ", .header: "H", .headerAccent: "h", .columns: "C", .selected: "S", .selectedUnfocused: "s",
        .dim: "d", .accent: "a", .rule: "r", .label: "l", .value: "v", .removed: "x", .active: "A", .status: "T",
        .statusRunning: "R", .statusError: "E", .hint: "i", .hintKey: "k", .prompt: "p", .overlay: "o",
        .overlayTitle: "O", .added: "+", .changed: "~",
    ]

    static func roles(_ grid: ScreenGrid) -> String {
        grid.cells.map { row in
            String(row.map { letters[$0.role] ?? "?" }).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    static func check(_ grid: ScreenGrid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let base = "\(name)-\(grid.columns)x\(grid.rows)"
        compare(grid.text, file: directory.appendingPathComponent("\(base).txt"), screen: grid.text, sourceLocation: sourceLocation)
        compare(roles(grid), file: directory.appendingPathComponent("\(base).roles.txt"), screen: grid.text, sourceLocation: sourceLocation)
    }

    private static func compare(_ actual: String, file: URL, screen: String, sourceLocation: SourceLocation) {
        if ProcessInfo.processInfo.environment["WAX_UPDATE_GOLDEN"] == "1" {
            // An update run never passes: a screen written is a screen someone must read in the
            // diff, then run again without WAX_UPDATE_GOLDEN.
            guard (try? String(contentsOf: file, encoding: .utf8)) != actual else { return }
            do {
                try actual.write(to: file, atomically: true, encoding: .utf8)
                Issue.record("wrote \(file.lastPathComponent) (WAX_UPDATE_GOLDEN=1): check it in the diff and run the tests again", sourceLocation: sourceLocation)
            } catch {
                Issue.record("could not write \(file.lastPathComponent): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.lastPathComponent); this was:\n\(actual)", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("""
            \(file.lastPathComponent) differs from line \(line + 1):
              expected: \(line < a.count ? a[line] : "(end)")
              actual:   \(line < b.count ? b[line] : "(end)")
            whole screen:
            \(screen)
            """, sourceLocation: sourceLocation)
    }
}

@Suite struct GoldenLegendTests {
    @Test func everyRoleHasALetterOfItsOwn() {
        #expect(Set(Golden.letters.keys) == Set(StyleRole.allCases))
        #expect(Set(Golden.letters.values).count == Golden.letters.count)
    }
}
