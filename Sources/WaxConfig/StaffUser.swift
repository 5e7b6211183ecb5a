import Foundation

/// Who is at the keyboard: the Unix login every counter action is recorded with.
public enum StaffUser {
    /// The login of the process's real user id, from the password database (what `$USER`
    /// normally says, but not something a shell variable can change); `$USER` or `$LOGNAME`
    /// only where the system has no entry for the id (some containers).
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name, let login = String(validatingCString: name), !login.isEmpty {
            return login
        }
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "uid \(getuid())"
    }
}
