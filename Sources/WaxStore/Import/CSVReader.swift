import Foundation
import Synchronization

/// An RFC 4180 reader that knows on which physical line each record starts, so that a bad row
/// can be reported as "line 212: …" even after quoted multi-line comments.
///
/// Written here rather than taken from SwiftCSV or CSV.swift: both report errors for the whole
/// file (or stop at the first one), while an import must skip one bad row, name its line, and go
/// on; and both go through `Character`, which is ~10× slower than bytes on a 100,000-row file.
public enum CSVReader {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// The physical line the record starts on (1-based, the header is line 1).
        public var line: Int
    }

    public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
        public var description: String { "line \(line): \(reason)" }
    }

    public enum FileError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case notText(detail: String)
        public var description: String {
            switch self {
            case .empty: "the file is empty: no header row"
            case .notText(let detail): "not a CSV text file (\(detail))"
            }
        }
    }

    /// What the reader made of the file's bytes.
    public enum Encoding: Sendable, Equatable {
        case utf8
        /// Not UTF-8 anywhere (accented letters as single bytes): read as Latin-1.
        case latin1
    }

    /// No field of a listing is anywhere near this long (Discogs' comments stop at a few
    /// thousand characters): a longer one is a bad row, and is never held whole in memory (a
    /// 200 MB field took an import to 851 MB before it was refused).
    public static let maximumFieldBytes = 64 << 10

    /// Parses the whole file. Records come back in order, each either parsed or an error; a
    /// row whose text is not valid UTF-8 is an error of its own (the rest of the file is read),
    /// unless the whole file is Latin-1, which is then read as such. The bytes are read where
    /// they are (a mapped file is not copied).
    public static func parse(_ data: Data) throws(FileError) -> (records: [Result<Record, RowError>], encoding: Encoding) {
        try withText(data) { text, encoding in (parse(text), encoding) }.get()
    }

    /// Hands `body` the file's text as UTF-8 bytes (a byte-order mark dropped, a Latin-1 file
    /// converted), or says why the file is not text.
    static func withText<T>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>, Encoding) -> T) -> Result<T, FileError> {
        data.withUnsafeBytes { raw in
            var whole = raw.bindMemory(to: UInt8.self)
            if whole.starts(with: [0xEF, 0xBB, 0xBF]) { whole = UnsafeBufferPointer(rebasing: whole.dropFirst(3)) }
            if whole.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .failure(.empty) }
            if let nul = whole.firstIndex(of: 0) { return .failure(.notText(detail: "a NUL byte at offset \(nul)")) }
            let check = UTF8Check(whole)
            if check.invalid > 0 && check.multibyte == 0 {
                // Not one well-formed accented letter, and some that are not UTF-8: an old
                // Latin-1 export. Every byte is then one character.
                let converted = latin1ToUTF8(whole)
                return .success(converted.withUnsafeBufferPointer { body($0, .latin1) })
            }
            return .success(body(whole, .utf8))
        }
    }

    /// Counts of well-formed multi-byte UTF-8 sequences and of bytes that break UTF-8.
    struct UTF8Check {
        var multibyte = 0
        var invalid = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 { i += 1; continue }
                let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0
                if length > 0, i + length <= n, (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }),
                   String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil {
                    multibyte += 1
                    i += length
                } else {
                    invalid += 1
                    i += 1
                }
            }
        }
    }

    static func latin1ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else {
                out.append(0xC0 | (b >> 6))
                out.append(0x80 | (b & 0x3F))
            }
        }
        return out
    }

    /// At most how many records `b` holds: one per line.
    static func mostRecords(in b: UnsafeBufferPointer<UInt8>) -> Int {
        var lines = 1
        for c in b where c == lf { lines &+= 1 }
        return lines
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Reads the records on every core, in file order.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Result<Record, RowError>] {
        let pieces = read(b, firstLine: 1, cores: cores, into: { _ in [Result<Record, RowError>]() }) { $0.append($1) }
        return pieces.count == 1 ? pieces[0] : pieces.flatMap { $0 }
    }

    /// Reads the records of `b` (whose first byte starts a record on line `firstLine`) on every
    /// core, handing each record to `take` on the thread that read it, into the piece of the file
    /// it lies in (`start` makes a piece from its bytes); the pieces come back in file order. Whatever `take` makes of a record (a
    /// listing) is made while its fields are fresh, and the file's fields are never all held at
    /// once: a million rows' fields were 5 GB.
    ///
    /// The file is cut after a newline where the quotes before it are even (a record boundary,
    /// unless a stray quote inside an unquoted field misleads the count), and each piece is read
    /// on its own from the line it starts on. A piece that does not end exactly where the next
    /// begins, at the line the next assumed (a quoted field runs on past the cut, a lone CR ended
    /// a line), means a cut was not a boundary: the whole file is then read in one piece, so the
    /// result is always the one reading in one piece gives. Pieces are several per core, so that
    /// a core slowed by other work leaves less of the file to wait for.
    static func read<Piece: Sendable>(_ b: UnsafeBufferPointer<UInt8>, firstLine: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount,
                                      into start: @Sendable (UnsafeBufferPointer<UInt8>) -> Piece,
                                      _ take: @Sendable (inout Piece, Result<Record, RowError>) -> Void) -> [Piece] {
        func whole() -> [Piece] {
            var piece = start(b)
            parseRecords(b, firstLine: firstLine) { take(&piece, $0); return true }
            return [piece]
        }
        let cuts = pieces(b, count: cores > 1 ? cores * 4 : 1, firstLine: firstLine)
        guard cuts.count > 1 else { return whole() }
        let read = Mutex<[Int: (piece: Piece, lastLine: Int, complete: Bool)]>([:])
        let bytes = ReadOnlyBytes(buffer: b)
        DispatchQueue.concurrentPerform(iterations: cuts.count) { k in
            let end = k + 1 < cuts.count ? cuts[k + 1].offset : bytes.buffer.count
            let bytes = UnsafeBufferPointer(rebasing: bytes.buffer[cuts[k].offset..<end])
            var piece = start(bytes)
            let ending = parseRecords(bytes, firstLine: cuts[k].line) {
                take(&piece, $0)
                return true
            }
            read.withLock { $0[k] = (piece, ending.lastLine, ending.complete) }
        }
        let pieces = read.withLock { read in
            (0..<cuts.count).compactMap { k -> Piece? in
                guard let done = read.removeValue(forKey: k) else { return nil }
                return k + 1 < cuts.count && !(done.complete && done.lastLine == cuts[k + 1].line) ? nil : done.piece
            }
        }
        return pieces.count == cuts.count ? pieces : whole()
    }

    /// The file's bytes, handed to the threads that read its pieces.
    ///
    /// `@unchecked Sendable` is safe here: the buffer is only ever read, never written, by any
    /// thread, and `concurrentPerform` returns only when every thread is done with it, inside
    /// the `withUnsafeBytes` that keeps the memory alive.
    private struct ReadOnlyBytes: @unchecked Sendable {
        let buffer: UnsafeBufferPointer<UInt8>
    }

    /// Where to cut `b` into about `count` pieces, each at the start of a line outside quotes,
    /// with the line number there. One piece for a small file.
    static func pieces(_ b: UnsafeBufferPointer<UInt8>, count: Int, firstLine: Int = 1) -> [(offset: Int, line: Int)] {
        var cuts = [(offset: 0, line: firstLine)]
        let count = min(count, b.count / (1 << 20))
        guard count > 1, b.count >= 4 << 20 else { return cuts }
        var quotes = 0, line = firstLine, i = 0
        for k in 1..<count {
            let target = b.count / count * k
            while i < target {
                let c = b[i]
                quotes &+= c == quote ? 1 : 0
                line &+= c == lf ? 1 : 0
                i += 1
            }
            while i < b.count {
                let c = b[i]
                i += 1
                if c == quote { quotes &+= 1 }
                if c == lf {
                    line += 1
                    if quotes & 1 == 0 { break }
                }
            }
            guard i < b.count else { break }
            cuts.append((i, line))
        }
        return cuts
    }

    /// Reads records from `b`, whose first byte starts a record on line `firstLine`. Says
    /// which line the reading ended on, and whether it ended at the end of a record (not
    /// inside an unterminated quote).
    static func parseRecords(_ b: UnsafeBufferPointer<UInt8>, firstLine: Int) -> (records: [Result<Record, RowError>], lastLine: Int, complete: Bool) {
        var records: [Result<Record, RowError>] = []
        let ending = parseRecords(b, firstLine: firstLine) { records.append($0); return true }
        return (records, ending.lastLine, ending.complete)
    }

    /// Hands each record of `b` to `each` as it is read, until `each` says stop; says where the
    /// reading ended (the offset after the last record read, and its line).
    @discardableResult
    static func parseRecords(_ b: UnsafeBufferPointer<UInt8>, firstLine: Int,
                             _ each: (Result<Record, RowError>) -> Bool) -> (lastLine: Int, complete: Bool, end: Int) {
        let n = b.count
        var i = 0
        var line = firstLine
        var width = 0
        while i < n {
            let recordLine = line
            var fields: [String] = []
            fields.reserveCapacity(width)
            var problem: String?
            var endOfRecord = false
            while !endOfRecord {
                if i < n, b[i] == quote {
                    i += 1
                    var field: [UInt8] = []
                    var closed = false
                    var tooLong = false
                    while i < n {
                        let c = b[i]
                        if c == quote {
                            if i + 1 < n, b[i + 1] == quote {
                                if !tooLong { field.append(quote) }
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if c == lf { line += 1 }
                        if !tooLong {
                            field.append(c)
                            if field.count > maximumFieldBytes {
                                tooLong = true
                                field = []
                            }
                        }
                        i += 1
                    }
                    if !closed {
                        _ = each(.failure(RowError(line: recordLine, reason: "a quoted field opened here is never closed (unterminated quote)")))
                        return (line, false, n)
                    }
                    if tooLong {
                        problem = problem ?? tooLongField(column: fields.count + 1)
                        fields.append("")
                    } else if let text = String(validating: field, as: UTF8.self) {
                        fields.append(text)
                    } else {
                        problem = problem ?? notUTF8(column: fields.count + 1)
                        fields.append("")
                    }
                    if i < n, b[i] != comma, b[i] != cr, b[i] != lf {
                        problem = problem ?? "text after a closing quote in column \(fields.count)"
                        while i < n, b[i] != comma, b[i] != lf { i += 1 }
                    }
                } else {
                    let start = i
                    while i < n, b[i] != comma, b[i] != lf, b[i] != cr { i += 1 }
                    if i - start > maximumFieldBytes {
                        problem = problem ?? tooLongField(column: fields.count + 1)
                        fields.append("")
                    } else if let text = String(validating: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self) {
                        fields.append(text)
                    } else {
                        problem = problem ?? notUTF8(column: fields.count + 1)
                        fields.append("")
                    }
                }
                if i >= n {
                    endOfRecord = true
                } else if b[i] == comma {
                    i += 1
                } else {
                    if b[i] == cr { i += 1 }
                    if i < n, b[i] == lf { i += 1 }
                    line += 1
                    endOfRecord = true
                }
            }
            if fields.count == 1, fields[0].isEmpty, problem == nil { continue }   // blank line
            width = fields.count
            let more = if let problem {
                each(.failure(RowError(line: recordLine, reason: problem)))
            } else {
                each(.success(Record(fields: fields, line: recordLine)))
            }
            if !more { return (line, true, i) }
        }
        return (line, true, n)
    }

    private static func tooLongField(column: Int) -> String {
        "column \(column) is over \(maximumFieldBytes >> 10) KB, longer than any listing's field: not read"
    }

    private static func notUTF8(column: Int) -> String {
        "column \(column) is not UTF-8 text (a byte from another encoding, such as Latin-1): fix or re-save the file as UTF-8"
    }

    /// One field, quoted when it must be.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }
}
