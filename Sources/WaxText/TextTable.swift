import Foundation

/// A plain text table for the CLI: columns sized to their content, shrunk (widest first) to fit
/// the terminal, cells cut by display width.
public struct TextTable {
    public struct Column {
        public var title: String
        public var alignRight: Bool
        /// Columns with a lower priority give up width first.
        public var minimum: Int
        public init(_ title: String, alignRight: Bool = false, minimum: Int = 4) {
            self.title = title
            self.alignRight = alignRight
            self.minimum = minimum
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    public func render(maxWidth: Int?) -> String {
        var widths = columns.indices.map { index in
            max(DisplayWidth.of(columns[index].title), rows.map { DisplayWidth.of($0[index]) }.max() ?? 0)
        }
        if let maxWidth {
            let gaps = (columns.count - 1) * 2
            while widths.reduce(0, +) + gaps > maxWidth {
                guard let widest = widths.indices.filter({ widths[$0] > columns[$0].minimum }).max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
            }
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { DisplayWidth.fit(cells[$0], to: widths[$0], alignRight: columns[$0].alignRight) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns.map(\.title)) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
