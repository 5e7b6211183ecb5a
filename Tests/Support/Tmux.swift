import Foundation

/// A program running in a private tmux server (its own socket: the tests never touch a user's
/// tmux), driven by keys and read back as text, as a person at a terminal would.
public final class Tmux: Sendable {
    public let socket: URL
    private let home: TemporaryDirectory

    public static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static var tmux: URL {
        URL(fileURLWithPath: ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux")
    }

    /// Starts `command` in a `columns`×`rows` pane. A shell runs it and writes its exit status
    /// to a file (tmux 3.3's `pane_dead_status` comes back empty).
    public init(_ command: [String], environment: [String: String], columns: Int = 120, rows: Int = 35) async throws {
        home = TemporaryDirectory()
        socket = home.file("tmux.sock")
        let quoted = (["env", "-i"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + command)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let shell = "\(quoted); echo $? > '\(home.file("status").path)'; sleep 600"
        try await run(["new-session", "-d", "-s", "wax", "-x", String(columns), "-y", String(rows), "sleep 600"])
        try await run(["set-option", "-t", "wax", "remain-on-exit", "on"])
        try await run(["respawn-pane", "-k", "-t", "wax", shell])
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(Self.tmux, ["-S", socket.path] + arguments,
                                              environment: ["PATH": "/usr/bin:/bin", "HOME": home.url.path, "TERM": "xterm-256color"])
        return result.stdout
    }

    /// Keys as `tmux send-keys` names them: "Enter", "Escape", "Down", or literal text.
    public func send(_ keys: String...) async throws {
        try await run(["send-keys", "-t", "wax"] + keys)
    }

    public func type(_ text: String) async throws {
        try await run(["send-keys", "-t", "wax", "-l", text])
    }

    public func screen() async throws -> String {
        try await run(["capture-pane", "-p", "-t", "wax"])
    }

    /// The screen with its SGR escapes (colours, reverse video), as `capture-pane -e` gives it.
    public func styledScreen() async throws -> String {
        try await run(["capture-pane", "-p", "-e", "-t", "wax"])
    }

    /// Waits until one screen shows every one of `texts`; returns that screen. (A frame reaches
    /// tmux in pieces, so texts waited for one by one could come from different frames.)
    @discardableResult
    public func waitFor(_ texts: String..., timeout: TimeInterval = 120) async throws -> String {
        try await waitUntil(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    /// Waits until the whole screen passes `test`; returns that screen. A screen can be caught
    /// mid-paint (after a clear, before the rows), so a test of what is gone also names what
    /// must be there.
    @discardableResult
    public func waitUntil(_ description: String, timeout: TimeInterval = 120, _ test: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if test(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxTimeout(waitedFor: description, screen: last)
    }

    public func resize(columns: Int, rows: Int) async throws {
        try await run(["resize-window", "-t", "wax", "-x", String(columns), "-y", String(rows)])
    }

    /// The program's pid while it runs (the pane's shell's child), from /proc.
    public func pid() async throws -> Int32? {
        guard let shell = Int32(try await run(["display-message", "-p", "-t", "wax", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == shell { return pid }
        }
        return nil
    }

    /// Waits for the program to end; its exit status.
    public func exitStatus(timeout: TimeInterval = 120) async throws -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: home.file("status"), encoding: .utf8),
               let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    public func stop() async {
        _ = try? await run(["kill-server"])
    }
}

public struct TmuxTimeout: Error, CustomStringConvertible {
    public let waitedFor: String
    public let screen: String
    public var description: String { "the screen never showed \"\(waitedFor)\"; it showed:\n\(screen)" }
}
