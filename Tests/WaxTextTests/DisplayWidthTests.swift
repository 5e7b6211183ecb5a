import Testing
import WaxText

@Suite struct DisplayWidthTests {
    @Test func widthsAreTerminalCells() {
        #expect(DisplayWidth.of("Björk") == 5)
        #expect(DisplayWidth.of("Bjo\u{308}rk") == 5)          // combining diaeresis takes no cell
        #expect(DisplayWidth.of("坂本龍一") == 8)
        #expect(DisplayWidth.of("→") == 1)
        #expect(DisplayWidth.of("🎵") == 2)
        #expect(DisplayWidth.of("ｱ") == 1)                     // half-width katakana
    }

    @Test func truncationEndsInAnEllipsisAndNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("Abbey Road", to: 20) == "Abbey Road")
        #expect(DisplayWidth.truncate("Abbey Road", to: 6) == "Abbey…")
        #expect(DisplayWidth.truncate("坂本龍一", to: 6) == "坂本…")
        #expect(DisplayWidth.truncate("坂本龍一", to: 5) == "坂本…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("坂本龍一", to: 4)) <= 4)
        #expect(DisplayWidth.fit("坂本", to: 6) == "坂本  ")
        #expect(DisplayWidth.fit("9.50", to: 6, alignRight: true) == "  9.50")
    }

    @Test func wrappingKeepsWordsAndLineBreaks() {
        #expect(DisplayWidth.wrap("some dust, light scratches and surface noise", to: 16) ==
                ["some dust, light", "scratches and", "surface noise"])
        #expect(DisplayWidth.wrap("a\nb", to: 10) == ["a", "b"])
        #expect(DisplayWidth.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        for line in DisplayWidth.wrap("東京の夜 東京の夜 東京の夜", to: 7) { #expect(DisplayWidth.of(line) <= 7) }
    }
}
