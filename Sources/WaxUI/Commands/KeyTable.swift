/// The README's key table, made from the registry (a test checks the README holds exactly this).
public enum KeyTable {
    public static var markdown: String {
        var lines = ["| keys | what they do |", "|---|---|"]
        for group in CommandSpec.Group.allCases {
            for spec in CommandRegistry.all where spec.group == group {
                let keys = spec.keys.count > 4 ? "`\(spec.keys.first!)`…`\(spec.keys.last!)`"
                    : spec.keys.map { "`\($0.description)`" }.joined(separator: " ")
                lines.append("| \(keys) | \(spec.help) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
