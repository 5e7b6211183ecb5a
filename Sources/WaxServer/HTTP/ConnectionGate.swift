import Foundation
import NIOCore
import Synchronization

/// Caps the connections served at once, and knows them all (to close them on stop). Past the
/// cap a new connection gets a one-line 503 and is closed, so that thousands of idle sockets
/// can't use up the process's file descriptors, which the mirror needs too.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Admits `channel` if there is room; it leaves by itself when it closes.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = open.withLock { open in
            guard open.count < limit else { return false }
            open[ObjectIdentifier(channel)] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
        }
        return admitted
    }

    var count: Int { open.withLock { $0.count } }

    func closeAll() {
        for channel in open.withLock({ Array($0.values) }) { channel.close(promise: nil) }
    }
}
