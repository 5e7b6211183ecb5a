import Foundation

/// Shelf codes in the order a person walks the shelves: `C2, C3, C27`, not `C2, C27, C3`.
/// The key is the folded text with every run of digits padded to 10, so that byte order (what
/// SQLite's index and a plain sort use) is that natural order.
public enum NaturalKey {
    public static func of(_ text: String?) -> String? {
        guard let text else { return nil }
        var out = ""
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let trimmed = String(digits.drop { $0 == "0" })
            out += String(repeating: "0", count: max(0, 10 - trimmed.count)) + trimmed
            digits = ""
        }
        for character in TextFold.fold(text) {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }

    /// Compares two shelf codes naturally (for lists built in memory, as the pick list).
    public static func less(_ a: String?, _ b: String?) -> Bool {
        switch (of(a), of(b)) {
        case (nil, nil): false
        case (nil, _): false        // no shelf last
        case (_, nil): true
        case (let x?, let y?): x.utf8.lexicographicallyPrecedes(y.utf8)
        }
    }
}

/// Discogs' format string as the parts a person filters by: `2xLP, Album, RE` → `LP`,
/// `Album`, `RE`; `7", Single, 45 RPM` → `7"`, `Single`, `45 RPM`. So "7-inch" is one value,
/// not five spellings of it.
public enum FormatParts {
    public static func of(_ format: String?) -> [String] {
        guard let format else { return [] }
        var seen = Set<String>()
        return format.split(separator: ",").compactMap { part in
            var text = part.trimmed
            // "2xLP" is LPs: the count is not a format.
            if let x = text.firstIndex(where: { $0 == "x" || $0 == "×" }), x > text.startIndex,
               text[..<x].allSatisfy(\.isNumber), text.index(after: x) < text.endIndex {
                text = String(text[text.index(after: x)...]).trimmed
            }
            guard !text.isEmpty, seen.insert(TextFold.fold(text)).inserted else { return nil }
            return text
        }
    }

    /// The parts as the facet stores them (`; `-joined, as genres are).
    static func joined(_ format: String?) -> String? { ListText.join(of(format)) }
}

/// What a barcode scanner or a hurried hand types for a listing: its id, its catalog number
/// and external id without spaces or punctuation (`warp30` for `WARP 30`), its barcodes as
/// digits. Kept as one searchable column, so "every word a prefix" finds them.
enum SearchCodes {
    static func of(_ record: ListingRecord, barcodes: [String]) -> String? {
        var codes = [String(record.listingID)]
        for text in [record.catalogNumber, record.externalID].compactMap({ $0 }) {
            let compact = compacted(text)
            if compact.count >= 2 { codes.append(compact) }
        }
        for barcode in barcodes {
            let digits = barcode.unicodeScalars.filter { ("0"..."9").contains($0) }
            if digits.count >= 6 { codes.append(String(digits)) }
        }
        return codes.joined(separator: " ")
    }

    /// Letters and digits only, folded: `WARP 30` → `warp30`, `CAT-100` → `cat100`.
    static func compacted(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // Most codes are ASCII: bytes, without building Characters.
            let bytes = text.utf8.compactMap { byte -> UInt8? in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
                default: nil
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return TextFold.fold(text).filter { $0.isLetter || $0.isNumber }
    }
}
