import Foundation

/// glibc's `malloc_trim`, which Glibc's Swift module does not export: gives memory freed by a
/// large piece of work back to the system. glibc keeps freed memory for the next allocation,
/// so a long-lived wax (the browser, `wax serve`) would otherwise stay as large as its largest
/// sync or answer for hours. A no-op where the C library has none.
public enum MemoryTrim {
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    public static func releaseFreedMemory() { _ = trim?(0) }
}
