import Foundation

/// A colour as a theme names it.
public enum ThemeColor: Sendable, Equatable {
    case terminalDefault
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then the bright ones.
    case basic(Int)
    /// 0–255 (xterm's palette).
    case indexed(Int)
    case rgb(Int, Int, Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    init?(parsing text: String) {
        let word = text.lowercased()
        if word == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: word) {
            self = .basic(index)
        } else if word.hasPrefix("bright-"), let index = Self.names.firstIndex(of: String(word.dropFirst(7))) {
            self = .basic(index + 8)
        } else if let number = Int(word), (0...255).contains(number) {
            self = number < 16 ? .basic(number) : .indexed(number)
        } else if word.hasPrefix("#"), word.count == 7, let value = Int(word.dropFirst(), radix: 16) {
            self = .rgb(value >> 16, (value >> 8) & 0xFF, value & 0xFF)
        } else {
            return nil
        }
    }

    /// The curses colour number for a terminal with `colors` colours (8, 16 or 256); -1 is the
    /// terminal's default. Colours the terminal lacks become the nearest it has.
    public func number(forColors colors: Int) -> Int16 {
        switch self {
        case .terminalDefault: return -1
        case .basic(let n): return Int16(colors >= 16 ? n : n % 8)
        case .indexed(let n): return colors >= 256 ? Int16(n) : Self.basic(ofIndexed: n, colors: colors)
        case .rgb(let r, let g, let b):
            let indexed = Self.indexed(r, g, b)
            return colors >= 256 ? Int16(indexed) : Self.basic(ofIndexed: indexed, colors: colors)
        }
    }

    /// The nearest xterm-256 colour: the 6×6×6 cube or the grey ramp.
    static func indexed(_ r: Int, _ g: Int, _ b: Int) -> Int {
        func level(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let grey = (r + g + b) / 3
        if abs(r - grey) < 10 && abs(g - grey) < 10 && abs(b - grey) < 10 {
            return grey < 8 ? 16 : grey > 238 ? 231 : 232 + (grey - 8) / 10
        }
        return cube
    }

    /// xterm's default values for the 16 basic colours.
    static let basicPalette: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// An xterm-256 colour as the nearest of the 8 or 16 basic ones. (Rounding each channel
    /// made the light theme's dark-grey status bar white, under white text, on 8 colours.)
    static func basic(ofIndexed n: Int, colors: Int) -> Int16 {
        if n < 16 { return Int16(colors >= 16 ? n : n % 8) }
        let (r, g, b) = rgb(ofIndexed: n)
        let candidates = basicPalette.prefix(colors >= 16 ? 16 : 8).enumerated()
        let nearest = candidates.min { x, y in
            distance(x.element, (r, g, b)) < distance(y.element, (r, g, b))
        }
        return Int16(nearest?.offset ?? 0)
    }

    static func rgb(ofIndexed n: Int) -> (Int, Int, Int) {
        if n < 16 { return basicPalette[n] }
        if n < 232 {
            let v = n - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[v / 36], steps[(v / 6) % 6], steps[v % 6])
        }
        let grey = 8 + (n - 232) * 10
        return (grey, grey, grey)
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }

    /// Black or white, whichever stands out on colour `n` (a terminal colour number).
    static func contrasting(_ n: Int16, colors: Int) -> Int16 {
        let (r, g, b) = rgb(ofIndexed: Int(max(0, n)))
        return (r * 299 + g * 587 + b * 114) / 1_000 > 128 ? 0 : (colors >= 16 ? 15 : 7)
    }
}

/// How one role looks.
public struct Style: Sendable, Equatable {
    public var foreground = ThemeColor.terminalDefault
    public var background = ThemeColor.terminalDefault
    public var bold = false
    public var dim = false
    public var underline = false
    public var reverse = false

    public init() {}

    /// The curses colour numbers on a terminal with `colors` colours. Two colours that become
    /// one there (a light grey and white on 8 colours) would hide the text: the foreground then
    /// turns black or white, whichever stands out.
    public func colorNumbers(forColors colors: Int) -> (foreground: Int16, background: Int16) {
        var foreground = self.foreground.number(forColors: colors)
        let background = self.background.number(forColors: colors)
        if foreground == background, foreground >= 0 {
            foreground = ThemeColor.contrasting(background, colors: colors)
        }
        return (foreground, background)
    }
}

/// Styles for every role. A theme file names only what it changes; the rest comes from the
/// built-in default.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [StyleRole: Style]

    public func style(_ role: StyleRole) -> Style { styles[role] ?? Style() }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "theme \(file) line \(line): \(reason)" }
    }

    /// `role = [foreground] [on background] [bold] [dim] [underline] [reverse]`, one per line,
    /// `#` comments. Applied over `base`.
    public static func parse(_ text: String, name: String, file: String, over base: Theme) throws -> Theme {
        var theme = base
        theme.name = name
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            func fail(_ reason: String) -> ParseError { ParseError(file: file, line: index + 1, reason: reason) }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw fail("expected `role = style`") }
            guard let role = StyleRole(rawValue: parts[0]) else {
                throw fail("unknown role \"\(parts[0])\" (roles: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var style = Style()
            var words = parts[1].split(separator: " ").map(String.init)[...]
            var expectBackground = false
            var sawForeground = false
            while let word = words.popFirst() {
                switch word.lowercased() {
                case "bold": style.bold = true
                case "dim": style.dim = true
                case "underline": style.underline = true
                case "reverse": style.reverse = true
                case "on": expectBackground = true
                default:
                    guard let color = ThemeColor(parsing: word) else { throw fail("unknown colour or attribute \"\(word)\"") }
                    if expectBackground {
                        style.background = color
                        expectBackground = false
                    } else if !sawForeground {
                        style.foreground = color
                        sawForeground = true
                    } else {
                        throw fail("two foreground colours (write `FG on BG`)")
                    }
                }
            }
            if expectBackground { throw fail("`on` needs a colour after it") }
            theme.styles[role] = style
        }
        return theme
    }

    /// The built-in dark theme (themes/default.theme holds the same, for people to copy).
    public static let builtInDefault: Theme = {
        // The text is part of the program, so a parse error is a programming error.
        try! parse(ShippedThemes.defaultText, name: "default", file: "(built-in)", over: Theme(name: "default", styles: [:]))
    }()

    /// No colours, attributes only: for NO_COLOR and the `mono` theme.
    public static let builtInMono: Theme = {
        try! parse(ShippedThemes.monoText, name: "mono", file: "(built-in)", over: Theme(name: "mono", styles: [:]))
    }()
}

/// Finds a theme by name: a file in the user's theme folder, then in the installed share
/// folder (a theme the shop's admin put there), then the themes compiled into wax.
public enum ThemeLoader {
    public struct Result: Sendable {
        public var theme: Theme
        /// A one-line problem to show (a broken file, an unknown name: the default is used).
        public var warning: String?
    }

    public static func load(name: String?, directories: [URL], noColor: Bool) -> Result {
        if noColor { return Result(theme: Theme.builtInMono, warning: nil) }
        let name = name?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? "default"
        let base = name == "mono" ? Theme.builtInMono : Theme.builtInDefault
        for directory in directories {
            let file = directory.appendingPathComponent(name + ".theme")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            do {
                return Result(theme: try Theme.parse(text, name: name, file: file.path, over: base), warning: nil)
            } catch {
                return Result(theme: Theme.builtInDefault, warning: "\(error); using the default theme")
            }
        }
        if let text = ShippedThemes.text(name) {
            // The texts are part of the program (a test parses each): an error is a bug.
            return Result(theme: try! Theme.parse(text, name: name, file: "(built-in \(name))", over: base), warning: nil)
        }
        let known = Set(ShippedThemes.names).union(directories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
        })
        return Result(theme: Theme.builtInDefault, warning: "no theme named \"\(name)\" (themes: \(known.sorted().joined(separator: ", "))); using the default")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
