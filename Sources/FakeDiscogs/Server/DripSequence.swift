import FlyingSocks
import Foundation

/// A body that arrives one byte at a time, `interval` seconds apart: a server that never quite
/// stops answering.
struct DripSequence: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let bytes: [UInt8]
    let interval: TimeInterval

    func makeAsyncIterator() -> Iterator { Iterator(bytes: bytes, interval: interval) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let bytes: [UInt8]
        let interval: TimeInterval
        var index = 0

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard index < bytes.count else { return nil }
            try await Task.sleep(for: .seconds(interval))
            defer { index += 1 }
            return [bytes[index]]
        }
    }
}
