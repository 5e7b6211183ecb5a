/// A listing record as bytes, for the spool of a large snapshot (`SnapshotListings`): each field
/// in `visitFields` order, a tag byte saying whether it is there, then its value (integers and
/// doubles as 8 little-endian bytes, text as a 4-byte length and its UTF-8). Only this process
/// reads it back, within the sync that wrote it: no version, no portability.
enum RecordBytes {
    static func encode(_ record: ListingRecord, into bytes: inout [UInt8]) {
        var writer = Writer(bytes: bytes)
        bytes = []
        var copy = record
        copy.visitFields(&writer)
        bytes = writer.bytes
    }

    /// The record in `buffer`, or nil when the bytes are not one whole record.
    static func decode(_ buffer: UnsafeRawBufferPointer) -> ListingRecord? {
        var reader = Reader(buffer: buffer)
        var record = ListingRecord(listingID: 0)
        record.visitFields(&reader)
        return reader.failed || reader.position != buffer.count ? nil : record
    }

    private struct Writer: ListingFieldVisitor {
        var bytes: [UInt8]

        mutating func word(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func present(_ isThere: Bool) -> Bool {
            bytes.append(isThere ? 1 : 0)
            return isThere
        }

        mutating func visit(_ value: inout Int64) { word(UInt64(bitPattern: value)) }
        mutating func visit(_ value: inout Int64?) { if present(value != nil) { word(UInt64(bitPattern: value!)) } }
        mutating func visit(_ value: inout Int?) { if present(value != nil) { word(UInt64(bitPattern: Int64(value!))) } }
        mutating func visit(_ value: inout Double?) { if present(value != nil) { word(value!.bitPattern) } }
        mutating func visit(_ value: inout Bool?) { if present(value != nil) { bytes.append(value! ? 1 : 0) } }

        mutating func visit(_ value: inout String?) {
            guard present(value != nil) else { return }
            var text = value!
            text.withUTF8 { utf8 in
                withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: utf8)
            }
        }
    }

    private struct Reader: ListingFieldVisitor {
        let buffer: UnsafeRawBufferPointer
        var position = 0
        var failed = false

        mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
            guard !failed, count >= 0, count <= buffer.count - position else {
                failed = true
                return nil
            }
            defer { position += count }
            return UnsafeRawBufferPointer(rebasing: buffer[position..<position + count])
        }

        mutating func word() -> UInt64? {
            take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        }

        /// Whether the next field is there (false too once the bytes have run out).
        mutating func present() -> Bool {
            guard let tag = take(1)?.first else { return false }
            guard tag <= 1 else {
                failed = true
                return false
            }
            return tag == 1
        }

        mutating func visit(_ value: inout Int64) { value = word().map { Int64(bitPattern: $0) } ?? 0 }
        mutating func visit(_ value: inout Int64?) { value = present() ? word().map { Int64(bitPattern: $0) } : nil }
        mutating func visit(_ value: inout Int?) { value = present() ? word().map { Int(Int64(bitPattern: $0)) } : nil }
        mutating func visit(_ value: inout Double?) { value = present() ? word().map(Double.init(bitPattern:)) : nil }
        mutating func visit(_ value: inout Bool?) { value = present() ? take(1).map { $0[0] != 0 } : nil }

        mutating func visit(_ value: inout String?) {
            guard present(), let length = take(4).map({ Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }),
                  let utf8 = take(length) else {
                value = nil
                return
            }
            value = String(decoding: utf8, as: UTF8.self)
        }
    }
}
