import Foundation
import GRDB

/// What can go wrong with the mirror, each as one line a shop's operator can act on.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case diskFull(path: String)
    case notADatabase(path: String)
    case readOnly(path: String)
    case busy(path: String)
    /// Another wax is filling the empty mirror without the WAL (`EmptyMirrorFill`), which locks
    /// everyone else out until it commits.
    case beingFilled(path: String)
    case corrupt(path: String, detail: String)
    case other(path: String, detail: String)
    case notFound(listingID: Int64)
    /// Opened for reading only (see `MirrorDatabase.open`): `reason` says why.
    case readOnlyMirror(path: String, reason: String)

    init(_ error: any Error, path: String) {
        guard let error = error as? DatabaseError else {
            self = .other(path: path, detail: "\(error)")
            return
        }
        switch error.resultCode {
        case .SQLITE_FULL: self = .diskFull(path: path)
        case .SQLITE_NOTADB: self = .notADatabase(path: path)
        case .SQLITE_READONLY: self = .readOnly(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            // wax writes through a rollback journal only while it fills an empty mirror: a
            // journal beside the file is that fill, still under way.
            self = FileManager.default.fileExists(atPath: path + "-journal") ? .beingFilled(path: path) : .busy(path: path)
        case .SQLITE_CORRUPT: self = .corrupt(path: path, detail: error.message ?? "")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            self = Self.filesystemIsReadOnly(path) ? .readOnly(path: path)
                : .cannotOpen(path: path, reason: error.message ?? "permission denied")
        case .SQLITE_IOERR:
            // SQLITE_IOERR_WRITE and friends are how a full disk often shows up under WAL; when
            // the code says nothing, the filesystem does.
            if [.SQLITE_IOERR_WRITE, .SQLITE_IOERR_FSYNC, .SQLITE_IOERR_SHMSIZE, .SQLITE_IOERR_TRUNCATE].contains(error.extendedResultCode)
                || Self.filesystemIsFull(path) {
                self = .diskFull(path: path)
            } else {
                self = .other(path: path, detail: error.message ?? "I/O error")
            }
        default: self = .other(path: path, detail: error.message ?? "\(error)")
        }
    }

    /// Why writing failed, in a few words (for "open for reading only (…)").
    var cause: String {
        switch self {
        case .diskFull: "its disk is full"
        case .readOnly: "its filesystem or file is read-only"
        case .cannotOpen(_, let reason): reason
        case .other(_, let detail): detail
        default: description
        }
    }

    /// The file may still be readable (writing is what failed).
    var allowsReading: Bool {
        switch self {
        case .diskFull, .readOnly, .cannotOpen, .other: true
        default: false
        }
    }

    static func filesystemIsFull(_ path: String) -> Bool {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        return statvfs(folder.isEmpty ? "." : folder, &info) == 0 && info.f_bavail == 0
    }

    static func filesystemIsReadOnly(_ path: String) -> Bool {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        return statvfs(folder.isEmpty ? "." : folder, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the mirror at \(path): \(reason)"
        case .diskFull(let path): "the disk holding \(path) is full: nothing was written, the mirror is unchanged"
        case .notADatabase(let path): "\(path) is not a wax database (not SQLite): point DATABASE_URL elsewhere"
        case .readOnly(let path): "\(path) cannot be written (a read-only filesystem or file): nothing was written"
        case .readOnlyMirror(let path, let reason): "the mirror at \(path) is open for reading only (\(reason)): nothing was written"
        case .busy(let path): "\(path) stayed locked by another process for \(Int(MirrorDatabase.busyTimeout)) s: try again"
        case .beingFilled(let path): "\(path) is being filled by another wax (an import or a first sync into the empty mirror): try again when it has finished"
        case .corrupt(let path, let detail): "\(path) is damaged (\(detail)): restore it or delete it and sync again"
        case .other(let path, let detail): "database error on \(path): \(detail)"
        case .notFound(let id): "no listing \(id) in the mirror"
        }
    }
}
