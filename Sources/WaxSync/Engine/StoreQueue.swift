import Dispatch

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
