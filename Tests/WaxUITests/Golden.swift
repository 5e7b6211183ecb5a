import Foundation
import Testing
import WaxUI
import WaxTestSupport

/// Golden screens: the rendered grid's text against a committed file. Set WAX_UPDATE_GOLDEN=1 to
/// write the files after checking the new screens by eye.
enum Golden {
    static let directory = SharedData.packageRoot.appendingPathComponent("Tests/WaxUITests/Golden")

    static func check(_ grid: ScreenGrid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent("\(name)-\(grid.columns)x\(grid.rows).txt")
        let actual = grid.text
        if ProcessInfo.processInfo.environment["WAX_UPDATE_GOLDEN"] == "1" {
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.lastPathComponent); this screen was:\n\(actual)", sourceLocation: sourceLocation)
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
            \(actual)
            """, sourceLocation: sourceLocation)
    }
}
