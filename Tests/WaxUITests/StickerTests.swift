import Foundation
import Testing
@testable import WaxPresentation
import WaxConfig
import WaxStore
import WaxTestSupport
import WaxUI

/// The sticker intake prints is what the counter's scanner reads back (issue 19): the Code 128
/// symbols are checked against the standard, decoded as a scanner would, and the decoded text
/// typed into the browser opens the record.
@Suite struct StickerTests {
    /// A scanner's side: module widths back to text (sets B and C, checksum verified).
    static func decode(_ widths: [Int]) -> String? {
        var symbols: [Int] = []
        var index = 0
        while index < widths.count {
            let take = widths.count - index == 7 ? 7 : 6
            let pattern = widths[index..<(index + take)].map(String.init).joined()
            guard let value = Code128.patterns.firstIndex(of: pattern) else { return nil }
            symbols.append(value)
            index += take
        }
        guard symbols.count >= 3, symbols.last == Code128.stop else { return nil }
        let data = symbols.dropLast(2)
        var sum = data.first!
        for (position, value) in data.enumerated().dropFirst() { sum += position * value }
        guard sum % 103 == symbols[symbols.count - 2] else { return nil }
        var set = data.first == Code128.startC ? "C" : "B"
        var text = ""
        for value in data.dropFirst() {
            switch (set, value) {
            case (_, Code128.codeB): set = "B"
            case (_, Code128.codeC): set = "C"
            case ("C", _): text += String(format: "%02d", value)
            default: text.append(Character(UnicodeScalar(UInt8(value + 32))))
            }
        }
        return text
    }

    @Test func symbolsAreTheStandardsAndDecodeBack() throws {
        #expect(Code128.values("12345678") == [105, 12, 34, 56, 78, 47, 106])
        #expect(Code128.values("A1") == [104, 33, 17, (104 + 33 + 2 * 17) % 103, 106])
        for text in ["3700000001", "123456789", "7", "wax 42", "A-12/b", "12ab3456"] {
            let widths = try #require(Code128.widths(text))
            #expect(Self.decode(widths) == text)
            // Every symbol is 11 modules wide, the stop 13.
            #expect(widths.reduce(0, +) == 11 * (Code128.values(text)!.count - 1) + 13)
        }
        #expect(Code128.values("") == nil && Code128.values("café") == nil)
    }

    @Test func theStickerCarriesWhatStaffNeed() {
        let sticker = Sticker(listingID: 3_700_000_004, artist: "Björk", title: "Post", condition: "Near Mint (NM or M-)",
                              sleeveCondition: "Generic", price: 24.5, currency: "EUR", location: "B12")
        let (name, details, barcode) = StickerSheet.lines(sticker)
        #expect(name == "Björk – Post" && details == "NM/gen · 24.50 EUR · bin B12" && barcode == "3700000004")
        let zpl = StickerSheet.zpl([sticker, sticker], size: LabelSize(width: 70, height: 37))
        #expect(zpl.components(separatedBy: "^XA").count == 3 && zpl.contains("^PW560^LL296") && zpl.contains("^FD3700000004^FS"))
        let pdf = String(decoding: StickerSheet.pdf(Array(repeating: sticker, count: 25), size: LabelSize(width: 70, height: 37)), as: UTF8.self)
        // A4 of 70×37 mm labels is 3 across, 8 down: 25 stickers are two pages.
        #expect(pdf.contains("/Count 2") && pdf.hasSuffix("%%EOF\n"))
    }

    /// The scanner types what it decoded and Enter: the browser opens that record.
    @Test func aScannedStickerOpensItsRecord() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        try withExtendedLifetime(dir) {
            let session = try Browsers.session(inventory, columns: 100, rows: 30)
            let listing = try #require(ShopFixture.listings().listings.last)
            let sticker = Sticker(listingID: listing.listingID, artist: listing.artist, title: listing.title)
            let widths = try #require(Code128.widths(StickerSheet.lines(sticker).barcode))
            let scanned = try #require(Self.decode(widths))
            for character in scanned { try session.handle(.character(character)) }
            try session.handle(.enter)
            #expect(session.state.selected?.record.listingID == listing.listingID)
            #expect(session.state.focus == .detail, "the record is open")
        }
    }
}
