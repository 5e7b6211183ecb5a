import Foundation

/// A figure of `/proc/PID/status` (VmHWM, VmRSS, RssAnon…), in KiB: what benchmarks and tests
/// read of a process's memory.
public enum ProcStatus {
    /// `key` with its colon (`"VmHWM:"`), of `pid` or of this process; nil when there is none
    /// (a zombie has no memory figures).
    public static func kibibytes(_ key: String, of pid: pid_t? = nil) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}
