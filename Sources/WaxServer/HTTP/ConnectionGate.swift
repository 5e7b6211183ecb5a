import Foundation
import NIOCore
import Synchronization

/// Decides, per connection, whether it is served, and knows them all (to close them on stop).
///
/// At most `limit` connections are served at once, and at most `perAddress` from one client
/// address (2,000 silent connections from one client locked everyone out). Past either, a few
/// more (`healthReserve`) are admitted for `/healthz` alone, so that a monitor still hears
/// from a server under a flood; past those, a one-line 503 and the connection is closed.
final class ConnectionGate: Sendable {
    enum Admission: Sendable, Equatable {
        case served
        /// Only `/healthz` is answered on this connection, then it is closed.
        case healthOnly
        case refused
    }

    let limit: Int
    let perAddress: Int
    let healthReserve: Int

    private struct State {
        var open: [ObjectIdentifier: (channel: any Channel, address: String, health: Bool)] = [:]
        var byAddress: [String: Int] = [:]
        var served = 0
        var health = 0
    }

    private let state = Mutex(State())

    init(limit: Int, perAddress: Int? = nil, healthReserve: Int = 8) {
        self.limit = max(1, limit)
        self.perAddress = max(1, perAddress ?? max(8, limit / 4))
        self.healthReserve = max(0, healthReserve)
    }

    /// Admits `channel`, or not; an admitted one leaves by itself when it closes.
    func admit(_ channel: any Channel) -> Admission {
        let address = channel.remoteAddress?.ipAddress ?? "?"
        let id = ObjectIdentifier(channel)
        let admission: Admission = state.withLock { s in
            if s.served < limit, s.byAddress[address, default: 0] < perAddress {
                s.served += 1
                s.byAddress[address, default: 0] += 1
                s.open[id] = (channel, address, false)
                return .served
            }
            if s.health < healthReserve {
                s.health += 1
                s.open[id] = (channel, address, true)
                return .healthOnly
            }
            return .refused
        }
        if admission != .refused {
            channel.closeFuture.whenComplete { [self] _ in
                state.withLock { s in
                    guard let entry = s.open.removeValue(forKey: id) else { return }
                    if entry.health {
                        s.health -= 1
                    } else {
                        s.served -= 1
                        s.byAddress[entry.address, default: 1] -= 1
                        if s.byAddress[entry.address] == 0 { s.byAddress.removeValue(forKey: entry.address) }
                    }
                }
            }
        }
        return admission
    }

    var count: Int { state.withLock { $0.open.count } }

    func closeAll() {
        for channel in state.withLock({ $0.open.values.map(\.channel) }) { channel.close(promise: nil) }
    }
}

/// Bytes of answers written to connections and not yet taken by their sockets, across all
/// connections. Past `cap`, a new buffered answer is a 503 instead (clients that send requests
/// and read nothing took the server to gigabytes).
final class OutputBudget: Sendable {
    let cap: Int
    private let used = Atomic<Int>(0)

    init(cap: Int) { self.cap = cap }

    /// Takes `bytes` from the budget; false (nothing taken) when that would pass the cap.
    func take(_ bytes: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            guard current + bytes <= cap || current == 0 else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func give(_ bytes: Int) { used.wrappingSubtract(bytes, ordering: .relaxed) }

    var inUse: Int { used.load(ordering: .relaxed) }
}
