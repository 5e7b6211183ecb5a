import Foundation
import Testing
@testable import WaxStore

/// A large file is read in pieces on every core; whatever the file holds, the records, their
/// line numbers and their errors are the ones reading it in one piece gives.
@Suite struct CSVPiecesTests {
    /// About 6 MB of rows, each with a quoted comment that spans lines and holds escaped
    /// quotes and commas, so that cuts land near quoted newlines; `row` may change any row.
    static func file(rows: Int = 50_000, lineEnd: String = "\r\n", row: (Int, String) -> String = { $1 }) -> [UInt8] {
        var text = "listing_id,artist,comments,price" + lineEnd
        for i in 0..<rows {
            let comment = "\"Plays through, \"\"nice\"\" copy\nsecond line \(i)\nthird, with a comma\""
            text += row(i, "\(1_000 + i),Artist \(i % 97),\(comment),\(i % 50).50") + lineEnd
            if i % 1_000 == 999 { text += lineEnd }   // a blank line now and then
        }
        return Array(text.utf8)
    }

    static func bothWays(_ bytes: [UInt8]) -> (whole: [Result<CSVReader.Record, CSVReader.RowError>], pieces: [Result<CSVReader.Record, CSVReader.RowError>]) {
        bytes.withUnsafeBufferPointer { b in (CSVReader.parse(b, cores: 1), CSVReader.parse(b, cores: 4)) }
    }

    @Test func aCleanFileIsCutAtRecordBoundariesAndReadTheSame() throws {
        let bytes = Self.file()
        let cuts = bytes.withUnsafeBufferPointer { CSVReader.pieces($0, count: 4) }
        #expect(cuts.count == 4, "a 6 MB file is cut for four cores")
        // Each piece ends where the next begins, on the line the next assumed: no fallback.
        bytes.withUnsafeBufferPointer { b in
            for k in 0..<cuts.count - 1 {
                let piece = CSVReader.parseRecords(UnsafeBufferPointer(rebasing: b[cuts[k].offset..<cuts[k + 1].offset]), firstLine: cuts[k].line)
                #expect(piece.complete && piece.lastLine == cuts[k + 1].line, "piece \(k)")
            }
        }
        let (whole, pieces) = Self.bothWays(bytes)
        #expect(whole.count == 50_001)
        #expect(pieces == whole)
        // Line numbers count the quoted newlines: row i starts on line 2 + 3i plus blank lines.
        if case .success(let last) = pieces.last { #expect(last.line == 2 + 3 * 49_999 + 49) } else { Issue.record("the last row is an error") }
    }

    @Test func aStrayQuoteThatMisleadsTheCutsChangesNothing() throws {
        // An unquoted field holding a quote makes the count odd: cuts land inside quoted fields.
        let bytes = Self.file { i, row in i == 10 ? row.replacingOccurrences(of: "Artist 10,", with: "Artist 1\"0,") : row }
        let (whole, pieces) = Self.bothWays(bytes)
        #expect(pieces == whole)
    }

    @Test func loneCarriageReturnsAndAnUnterminatedQuoteChangeNothing() throws {
        let lone = Self.file(lineEnd: "\r")
        let (wholeCR, piecesCR) = Self.bothWays(lone)
        #expect(piecesCR == wholeCR)
        // Opened two thirds in, and no quote after it to close it: the rest of the file is one field.
        let unterminated = Self.file { i, row in
            i < 30_000 ? row : i == 30_000 ? "\(row),\"never closed" : "\(1_000 + i),Artist,plain,1.00"
        }
        let (whole, pieces) = Self.bothWays(unterminated)
        #expect(pieces == whole)
        #expect(whole.contains { if case .failure(let e) = $0 { e.reason.contains("unterminated") } else { false } })
    }
}
