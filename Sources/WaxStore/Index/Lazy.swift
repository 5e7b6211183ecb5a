import Synchronization

/// A value built on first use. Whoever asks while it is being built waits for that build
/// rather than starting a second one: on two cores a duplicate build would halve the speed of
/// both (a key handler and `InventoryIndex.prepare` running at once, say).
final class Lazy<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func value<Failure: Error>(_ build: () throws(Failure) -> Value) throws(Failure) -> Value {
        try stored.withLock { (stored: inout Value?) throws(Failure) -> Value in
            if let stored { return stored }
            let built = try build()
            stored = built
            return built
        }
    }
}
