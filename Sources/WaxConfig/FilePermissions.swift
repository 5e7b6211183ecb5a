import Foundation

/// Who may read the files wax creates beside the mirror (the database, its locks, the rate
/// history). The mirror holds owner-only fields (shelf locations, private comments), so nobody
/// outside the shop may read it: 0600, or 0660 when the folder belongs to a group of its own
/// (the shop's staff group, set up as the README says), so that every staff member's wax can
/// read and write it.
public enum FilePermissions {
    /// The mode for a new file in `folder`.
    public static func mode(forFileIn folder: URL) -> mode_t {
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return 0o600 }
        // A folder whose group is not the user's own primary group was given to a group on
        // purpose (or inherits one through its setgid bit): share with that group.
        return info.st_gid != getegid() || info.st_mode & S_ISGID != 0 ? 0o660 : 0o600
    }

    /// Opens `url`, creating it with `mode(forFileIn:)` if it does not exist (the exact mode,
    /// whatever the umask). Returns the descriptor, or -1 with `errno` set.
    public static func open(_ url: URL, flags: Int32 = O_RDWR) -> Int32 {
        // An existing file is opened as it is (on a read-only filesystem, O_CREAT alone fails).
        if access(url.path, F_OK) == 0 { return Foundation.open(url.path, flags | O_CLOEXEC) }
        let mode = mode(forFileIn: url.deletingLastPathComponent())
        let fd = Foundation.open(url.path, flags | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd >= 0 {
            fchmod(fd, mode)
            return fd
        }
        guard errno == EEXIST else { return -1 }
        return Foundation.open(url.path, flags | O_CLOEXEC)
    }

    /// Creates `url` empty with the right mode if it does not exist yet (before SQLite opens
    /// it: SQLite gives its -wal and -shm files the database's own mode).
    public static func createIfMissing(_ url: URL) throws {
        if access(url.path, F_OK) == 0 { return }
        let fd = open(url, flags: O_RDWR)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path,
                                                                NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        close(fd)
    }

    /// Writes `data` to `url` through a temporary file and a rename, with the right mode.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        unlink(temporary.path)
        let fd = open(temporary, flags: O_WRONLY)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == data.count
        close(fd)
        guard synced, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// A warning when users outside the file's owner and group can read it.
    public static func worldReadableWarning(_ url: URL, what: String) -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IROTH != 0 else { return nil }
        return "\(what) \(url.path) is readable by every user of this machine: run chmod o-rwx \(url.path)"
    }
}
