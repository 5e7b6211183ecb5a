import Dispatch
import Synchronization

/// Where a background job runs its SQLite work: a serial Dispatch queue of its own, off Swift's
/// cooperative pool (a transaction of seconds there would hold up every other task of the process,
/// the HTTP client's included).
struct StoreQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A value for work on the store queue, moved there rather than captured: a capture is a second
/// reference, and an array with two is copied whole by whoever changes it (the store drops from
/// a snapshot's listings those staff are acting on; a first sync's 100,000 records held in
/// memory were copied so: 62 MB).
final class Handover<Value: Sendable>: Sendable {
    private let slot: Mutex<Value?>

    init(_ value: consuming Value) { slot = Mutex(value) }

    /// The value, once; a second take is a programming error.
    func take() -> Value {
        guard let value = slot.withLock({ $0.take() }) else { preconditionFailure("a handover is taken once") }
        return value
    }
}
