import Foundation

/// The Goldmine grades Discogs uses, best first, so that "sort by condition" means best to worst
/// rather than alphabetical.
public enum ConditionGrade: Int, CaseIterable, Sendable, Comparable {
    case poor = 1, fair, good, goodPlus, veryGood, veryGoodPlus, nearMint, mint

    public static func < (a: ConditionGrade, b: ConditionGrade) -> Bool { a.rawValue < b.rawValue }

    /// `Very Good Plus (VG+)` → `.veryGoodPlus`; `Generic`, `Not Graded`, `No Cover` → nil.
    public init?(discogs text: String?) {
        guard let text else { return nil }
        let code: Substring
        if let open = text.lastIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            code = text[text.index(after: open)..<close]
        } else {
            code = Substring(text)
        }
        switch code.trimmed.uppercased() {
        case "M": self = .mint
        case "NM OR M-", "NM", "M-": self = .nearMint
        case "VG+": self = .veryGoodPlus
        case "VG": self = .veryGood
        case "G+": self = .goodPlus
        case "G": self = .good
        case "F": self = .fair
        case "P": self = .poor
        default: return nil
        }
    }

    /// The short code staff know: `VG+`, `NM`, `M`.
    public var code: String {
        switch self {
        case .mint: "M"
        case .nearMint: "NM"
        case .veryGoodPlus: "VG+"
        case .veryGood: "VG"
        case .goodPlus: "G+"
        case .good: "G"
        case .fair: "F"
        case .poor: "P"
        }
    }
}
