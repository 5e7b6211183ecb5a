import Foundation

/// Finding folded bytes in folded bytes: the titles' buffer, a facet value's key. (Glibc's
/// `memmem` is not visible to Swift.)
enum ByteSearch {
    /// The first offset at or after `start` where the needle occurs: `memchr` (vectorised) to
    /// the needle's first byte, then `memcmp`.
    static func firstOffset(of needle: UnsafeRawPointer, _ length: Int, in haystack: UnsafeRawPointer, from start: Int, to end: Int) -> Int? {
        let first = Int32(needle.load(as: UInt8.self))
        var offset = start
        while end - offset >= length {
            guard let candidate = memchr(haystack + offset, first, end - offset - length + 1) else { return nil }
            let at = haystack.distance(to: UnsafeRawPointer(candidate))
            if memcmp(haystack + at, needle, length) == 0 { return at }
            offset = at + 1
        }
        return nil
    }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let needleBase = needle.baseAddress, !needle.isEmpty else { return true }
        guard let base = haystack.baseAddress else { return false }
        return firstOffset(of: needleBase, needle.count, in: base, from: 0, to: haystack.count) != nil
    }
}
