/// ASCII whitespace trimming without Foundation: `trimmingCharacters(in:)` goes through NSString
/// on Linux and was a quarter of a 100,000-row import.
extension String {
    var trimmed: String { Substring(self).trimmed }
    var isBlank: Bool { utf8.allSatisfy(isASCIISpace) }
}

extension Substring {
    var trimmed: String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if !isASCIISpace(first) && !isASCIISpace(last) { return String(self) }
        guard let start = utf8.firstIndex(where: { !isASCIISpace($0) }),
              let end = utf8.lastIndex(where: { !isASCIISpace($0) }) else { return "" }
        return String(self[start...end])
    }
}

private func isASCIISpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}
