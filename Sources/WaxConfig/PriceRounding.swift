import Foundation

/// How a suggested price is rounded for the shop (`WAX_PRICE_ROUNDING`): to a step (`0.50`:
/// the nearest half, `1`: whole amounts), to an ending (`.99`: 12.99, never 13.00), or not at all.
public enum PriceRounding: Sendable, Equatable, CustomStringConvertible {
    case none
    case step(Double)
    case ending(Double)

    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "none" || text == "0" { self = .none; return }
        if text.hasPrefix("."), let cents = Double("0" + text), cents >= 0, cents < 1 { self = .ending(cents); return }
        guard let step = Double(text), step.isFinite, step > 0 else { return nil }
        self = .step(step)
    }

    /// `value` as the shop prices it (never below one cent).
    public func apply(_ value: Double) -> Double {
        let rounded: Double = switch self {
        case .none: value
        case .step(let step): (value / step).rounded() * step
        case .ending(let cents): (value - cents).rounded() + cents
        }
        return max(0.01, (rounded * 100).rounded() / 100)
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .step(let step): String(format: "%.2f", step)
        case .ending(let cents): String(format: ".%02d", Int((cents * 100).rounded()))
        }
    }
}

/// A sticker's size in millimetres (`WAX_LABEL_SIZE`, `70x37`).
public struct LabelSize: Sendable, Equatable, CustomStringConvertible {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public init?(_ text: String) {
        let parts = text.lowercased().replacingOccurrences(of: "mm", with: "").split(separator: "x").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]), width >= 20, height >= 15, width <= 300, height <= 300 else {
            return nil
        }
        self.init(width: width, height: height)
    }

    public var description: String { "\(Self.number(width))x\(Self.number(height))" }

    private static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
