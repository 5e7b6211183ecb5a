import Foundation
import Testing
@testable import WaxUI
import WaxTestSupport

@Suite struct ThemeTests {
    let themes = SharedData.packageRoot.appendingPathComponent("themes")

    @Test func theThemeFilesAreTheCompiledInThemes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: themes.path).filter { $0.hasSuffix(".theme") }
        #expect(Set(files.map { String($0.dropLast(6)) }) == Set(ShippedThemes.names))
        for name in ShippedThemes.names {
            let text = try String(contentsOf: themes.appendingPathComponent(name + ".theme"), encoding: .utf8)
            #expect(text == ShippedThemes.text(name), "themes/\(name).theme differs from the theme compiled into wax")
        }
        #expect(Set(Theme.builtInDefault.styles.keys) == Set(StyleRole.allCases))
    }

    @Test(arguments: ["light", "high-contrast", "mono"]) func everyShippedThemeLoadsWithNoFileAnywhere(name: String) {
        // A binary copied to /usr/local/bin, with no theme folder at all.
        let result = ThemeLoader.load(name: name, directories: [URL(fileURLWithPath: "/nonexistent")], noColor: false)
        #expect(result.warning == nil)
        #expect(result.theme.name == name)
        #expect(result.theme != Theme.builtInDefault)
    }

    @Test func aThemeNamesOnlyWhatItChanges() throws {
        let theme = try Theme.parse("selected = yellow on 24 bold # mine", name: "x", file: "x.theme", over: Theme.builtInDefault)
        #expect(theme.style(.selected).foreground == .basic(3) && theme.style(.selected).background == .indexed(24) && theme.style(.selected).bold)
        #expect(theme.style(.header) == Theme.builtInDefault.style(.header))
    }

    @Test func aBrokenThemeNamesItsLineAndFallsBack() throws {
        let dir = TemporaryDirectory()
        try "header = white on blue\nselected = purplish\n".write(to: dir.file("bad.theme"), atomically: true, encoding: .utf8)
        let result = ThemeLoader.load(name: "bad", directories: [dir.url], noColor: false)
        #expect(result.theme == Theme.builtInDefault)
        #expect(result.warning == "theme \(dir.file("bad.theme").path) line 2: unknown colour or attribute \"purplish\"; using the default theme")
        #expect(ThemeLoader.load(name: "nope", directories: [dir.url], noColor: false).warning
                == "no theme named \"nope\" (themes: bad, default, high-contrast, light, mono); using the default")
    }

    @Test func userThemesComeFirst() throws {
        let user = TemporaryDirectory()
        try "header = red".write(to: user.file("light.theme"), atomically: true, encoding: .utf8)
        let result = ThemeLoader.load(name: "light", directories: [user.url, themes], noColor: false)
        #expect(result.theme.style(.header).foreground == .basic(1))
    }

    @Test func noColorMeansAttributesOnly() {
        let theme = ThemeLoader.load(name: "light", directories: [themes], noColor: true).theme
        for role in StyleRole.allCases {
            #expect(theme.style(role).foreground == .terminalDefault && theme.style(role).background == .terminalDefault)
        }
        #expect(theme.style(.selected).reverse)
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        #expect(ThemeColor.basic(12).number(forColors: 256) == 12)
        #expect(ThemeColor.basic(12).number(forColors: 8) == 4)          // bright blue → blue
        #expect(ThemeColor.indexed(196).number(forColors: 256) == 196)
        #expect(ThemeColor.indexed(196).number(forColors: 16) == 9)      // pure red → bright red
        #expect(ThemeColor.indexed(196).number(forColors: 8) == 1)
        #expect(ThemeColor.rgb(0, 0, 0).number(forColors: 8) == 0)
        #expect(ThemeColor.terminalDefault.number(forColors: 256) == -1)
    }

    @Test(arguments: [8, 16, 256]) func noShippedThemeHidesTextOnAnyTerminal(colors: Int) throws {
        for name in ShippedThemes.names {
            let theme = ThemeLoader.load(name: name, directories: [], noColor: false).theme
            for role in StyleRole.allCases {
                let numbers = theme.style(role).colorNumbers(forColors: colors)
                #expect(numbers.foreground < 0 || numbers.foreground != numbers.background,
                        "\(name) \(role) on \(colors) colours: \(numbers)")
            }
        }
        // The light theme's status bar (white on dark grey 238) on an 8-colour xterm.
        let status = ThemeLoader.load(name: "light", directories: [], noColor: false).theme.style(.status)
        #expect(status.colorNumbers(forColors: 8) == (7, 0))
        #expect(ThemeColor.indexed(238).number(forColors: 8) == 0 && ThemeColor.indexed(254).number(forColors: 8) == 7)
    }
}
