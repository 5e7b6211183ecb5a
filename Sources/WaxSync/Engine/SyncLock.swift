import Foundation
import WaxConfig

/// One holder at a time per database and job, across processes: an exclusive `flock` on a file
/// beside the database, which the kernel releases when the holder exits or crashes. The holder
/// writes who it is into the file, so that the next one can say who holds it.
///
/// Two jobs have one: syncing (`<db>.sync-lock`) and sending the outbox (`<db>.outbox-lock`).
/// They are separate on purpose: a counter sale must not wait for a 17-minute sync.
public final class DatabaseLock: Sendable {
    public enum Job: String, Sendable {
        case sync = "sync-lock"
        case outbox = "outbox-lock"
        case orders = "orders-lock"

        var doing: String {
            switch self {
            case .sync: "syncing"
            case .outbox: "sending the outbox of"
            case .orders: "polling the orders of"
            }
        }
    }

    private let fd: Int32
    public let path: URL

    public struct Busy: Error, Sendable, CustomStringConvertible {
        public let job: Job
        public let holder: String
        public var description: String { "another wax is \(job.doing) this database (\(holder))" }
    }

    private init(fd: Int32, path: URL) {
        self.fd = fd
        self.path = path
    }

    public static func path(forDatabase database: URL, job: Job = .sync) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + "." + job.rawValue)
    }

    /// Takes the lock or throws `Busy` naming the holder. Never waits.
    public static func acquire(forDatabase database: URL, job: Job = .sync, trigger: String) throws -> DatabaseLock {
        let path = Self.path(forDatabase: database, job: job)
        let fd = FilePermissions.open(path)
        guard fd >= 0 else {
            throw SyncFailure(.failed, "cannot open \(path.path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw Busy(job: job, holder: holder(of: path) ?? "unknown process")
        }
        let info = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), \(trigger), since \(UTCTimestamp.string(Date()))"
        ftruncate(fd, 0)
        _ = info.withCString { write(fd, $0, strlen($0)) }
        return DatabaseLock(fd: fd, path: path)
    }

    /// Who holds the lock, if anyone does right now (without taking it).
    public static func holder(forDatabase database: URL, job: Job) -> String? {
        let path = Self.path(forDatabase: database, job: job)
        let fd = open(path.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else {
            flock(fd, LOCK_UN)
            return nil
        }
        return holder(of: path) ?? "unknown process"
    }

    private static func holder(of path: URL) -> String? {
        let text = (try? String(contentsOf: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text?.isEmpty == false ? text : nil
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// The sync's lock (the name every caller knows it by).
public typealias SyncLock = DatabaseLock
