import Foundation
import WaxConfig

/// One sync at a time per database, across processes: an exclusive `flock` on `<db>.sync-lock`,
/// which the kernel releases when the holder exits or crashes. The holder writes who it is into
/// the file, so that the next one can say who is syncing.
public final class SyncLock: Sendable {
    private let fd: Int32
    public let path: URL

    public struct Busy: Error, Sendable, CustomStringConvertible {
        public let holder: String
        public var description: String { "another wax is syncing this database (\(holder))" }
    }

    private init(fd: Int32, path: URL) {
        self.fd = fd
        self.path = path
    }

    public static func path(forDatabase database: URL) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + ".sync-lock")
    }

    /// Takes the lock or throws `Busy` naming the holder. Never waits.
    public static func acquire(forDatabase database: URL, trigger: String) throws -> SyncLock {
        let path = Self.path(forDatabase: database)
        let fd = FilePermissions.open(path)
        guard fd >= 0 else {
            throw SyncFailure(.failed, "cannot open \(path.path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOf: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw Busy(holder: holder?.isEmpty == false ? holder! : "unknown process")
        }
        let info = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), \(trigger), since \(UTCTimestamp.string(Date()))"
        ftruncate(fd, 0)
        _ = info.withCString { write(fd, $0, strlen($0)) }
        return SyncLock(fd: fd, path: path)
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
