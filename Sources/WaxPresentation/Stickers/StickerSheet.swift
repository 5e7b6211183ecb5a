import Foundation
import WaxConfig
import WaxStore

/// Stickers for the records intake listed: what is on one (artist – title, the grades, the
/// price, the bin, and the listing id as a Code 128 barcode the counter's scanner reads back),
/// in the three forms a shop prints: ZPL for a thermal label printer, a PDF sheet of labels for
/// an office printer, and plain text.
public enum StickerSheet {
    public enum Format: String, Sendable, CaseIterable {
        case zpl, pdf, text
    }

    /// The lines of a sticker, top to bottom, and what its barcode holds.
    public static func lines(_ sticker: Sticker) -> (name: String, details: String, barcode: String) {
        let name = ListingFormat.name(artist: sticker.artist, title: sticker.title)
        var details: [String] = []
        let grades = ListingFormat.conditions(media: sticker.condition, sleeve: sticker.sleeveCondition)
        if !grades.isEmpty { details.append(grades) }
        if let price = sticker.price { details.append(Money.format(price, currency: sticker.currency)) }
        if let bin = sticker.location, !bin.isEmpty { details.append("bin \(bin)") }
        return (name, details.joined(separator: " · "), String(sticker.listingID))
    }

    public static func render(_ stickers: [Sticker], as format: Format, size: LabelSize) -> Data {
        switch format {
        case .zpl: Data(zpl(stickers, size: size).utf8)
        case .pdf: pdf(stickers, size: size)
        case .text: Data(text(stickers).utf8)
        }
    }

    // MARK: Text

    public static func text(_ stickers: [Sticker]) -> String {
        stickers.map { sticker in
            let (name, details, barcode) = lines(sticker)
            return "\(name)\n\(details)\n[\(barcode)]\n"
        }.joined(separator: "\n")
    }

    // MARK: ZPL

    /// One label per sticker at 203 dpi (8 dots a millimetre); the printer draws the barcode.
    public static func zpl(_ stickers: [Sticker], size: LabelSize) -> String {
        let width = Int(size.width * 8), height = Int(size.height * 8)
        let margin = 16, line = max(20, height / 10)
        return stickers.map { sticker in
            let (name, details, barcode) = lines(sticker)
            let barHeight = max(40, height - 3 * line - 3 * margin)
            return """
                ^XA
                ^CI28
                ^PW\(width)^LL\(height)
                ^FO\(margin),\(margin)^A0N,\(line),\(line)^FB\(width - 2 * margin),1,0,L^FD\(zplText(name))^FS
                ^FO\(margin),\(margin + line + 4)^A0N,\(line - 2),\(line - 2)^FB\(width - 2 * margin),1,0,L^FD\(zplText(details))^FS
                ^FO\(margin),\(margin + 2 * line + 12)^BY2^BCN,\(barHeight),Y,N,N^FD\(barcode)^FS
                ^XZ

                """
        }.joined()
    }

    /// `^` and `~` start ZPL commands: they can't stand in a field.
    static func zplText(_ text: String) -> String {
        text.replacingOccurrences(of: "^", with: " ").replacingOccurrences(of: "~", with: " ")
    }

    // MARK: PDF

    /// An A4 sheet (or several) of labels of `size`, as many across and down as fit, centred.
    public static func pdf(_ stickers: [Sticker], size: LabelSize) -> Data {
        let point = 72.0 / 25.4
        let pageWidth = 210 * point, pageHeight = 297 * point
        let labelWidth = size.width * point, labelHeight = size.height * point
        let across = max(1, Int(pageWidth / labelWidth)), down = max(1, Int(pageHeight / labelHeight))
        let left = (pageWidth - Double(across) * labelWidth) / 2, top = (pageHeight - Double(down) * labelHeight) / 2
        var pages: [String] = []
        for start in stride(from: 0, to: max(1, stickers.count), by: across * down) {
            var content = ""
            for (slot, sticker) in stickers.dropFirst(start).prefix(across * down).enumerated() {
                let x = left + Double(slot % across) * labelWidth
                let y = pageHeight - top - Double(slot / across + 1) * labelHeight
                content += label(sticker, x: x, y: y, width: labelWidth, height: labelHeight)
            }
            pages.append(content)
        }
        return PDFWriter.document(pages: pages, width: pageWidth, height: pageHeight)
    }

    private static func label(_ sticker: Sticker, x: Double, y: Double, width: Double, height: Double) -> String {
        let (name, details, barcode) = lines(sticker)
        let pad = 6.0, size = min(10, height / 8)
        var out = "BT /F1 \(f(size)) Tf \(f(x + pad)) \(f(y + height - pad - size)) Td (\(PDFWriter.text(fitting: name, width: width - 2 * pad, size: size))) Tj ET\n"
        out += "BT /F1 \(f(size * 0.85)) Tf \(f(x + pad)) \(f(y + height - pad - 2.2 * size)) Td (\(PDFWriter.text(fitting: details, width: width - 2 * pad, size: size * 0.85))) Tj ET\n"
        if let widths = Code128.widths(barcode) {
            let modules = Double(widths.reduce(0, +))
            let module = min(1.0, (width - 2 * pad) / modules)
            let barTop = y + height - pad - 3 * size, barBottom = y + pad + size
            var position = x + pad
            for (index, modulesWide) in widths.enumerated() {
                let w = Double(modulesWide) * module
                if index % 2 == 0 { out += "\(f(position)) \(f(barBottom)) \(f(w)) \(f(max(4, barTop - barBottom))) re f\n" }
                position += w
            }
            out += "BT /F1 \(f(size * 0.8)) Tf \(f(x + pad)) \(f(y + pad)) Td (\(barcode)) Tj ET\n"
        }
        return out
    }

    private static func f(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// The smallest PDF that prints: pages of drawing commands with Helvetica, written by hand
/// (a library for it would bring in far more than a sheet of labels needs).
enum PDFWriter {
    static func document(pages: [String], width: Double, height: Double) -> Data {
        var objects: [String] = []
        let pageCount = max(1, pages.count)
        // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pageCount).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        for index in 0..<pageCount {
            let content = index < pages.count ? pages[index] : ""
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(String(format: "%.2f %.2f", width, height))] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * index) 0 R >>")
            objects.append("<< /Length \(Array(latin1(content)).count) >>\nstream\n\(content)endstream")
        }
        var out = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out.append(contentsOf: latin1("\(index + 1) 0 obj\n\(object)\nendobj\n"))
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(contentsOf: latin1(table))
        return out
    }

    /// A string for `( … ) Tj`: escaped, in WinAnsi (what has no WinAnsi glyph prints as `?`),
    /// cut to what fits `width` at `size` (Helvetica averages about half an em a character).
    static func text(fitting text: String, width: Double, size: Double) -> String {
        let room = max(4, Int(width / (size * 0.52)))
        let cut = text.count > room ? String(text.prefix(room - 1)) + "…" : text
        var out = ""
        for character in cut {
            switch character {
            case "(", ")", "\\": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// Latin-1 bytes, with WinAnsi's extra glyphs (– · € …) and `?` for anything else.
    static func latin1(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x80, 0xA0...0xFF: bytes.append(UInt8(scalar.value))
            case 0x2013: bytes.append(0x96)
            case 0x2014: bytes.append(0x97)
            case 0x2026: bytes.append(0x85)
            case 0x20AC: bytes.append(0x80)
            case 0x2019: bytes.append(0x92)
            default: bytes.append(UInt8(ascii: "?"))
            }
        }
        return bytes
    }
}
